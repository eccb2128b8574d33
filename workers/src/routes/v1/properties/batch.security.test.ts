import { sampleItem } from "../../../../test/listings";
import { runCommonRouteTests } from "../../../../test/security";

runCommonRouteTests({
  method: "POST",
  path: "/api/v1/properties/batch",
  allowed: ["service", "admin"],
  prepareRequest: async () => ({ body: { items: [sampleItem()] } }),
});
