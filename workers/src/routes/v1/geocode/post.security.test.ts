import { runCommonRouteTests } from "../../../../test/security";

runCommonRouteTests({
  method: "POST",
  path: "/api/v1/geocode",
  allowed: ["user", "service"],
  prepareRequest: async () => ({ body: { address: "10 Downing Street, London SW1A 2AA" } }),
});
