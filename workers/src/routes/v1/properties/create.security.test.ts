import { sampleItem } from "../../../../test/listings";
import { runCommonRouteTests } from "../../../../test/security";

runCommonRouteTests({
  method: "POST",
  path: "/api/v1/properties",
  allowed: ["service", "admin"],
  prepareRequest: async () => ({ body: sampleItem() }),
});
