import { runCommonRouteTests } from "../../../../test/security";

runCommonRouteTests({
  method: "POST",
  path: "/api/v1/admin/service-tokens",
  credentials: true,
  allowed: ["admin"],
  prepareRequest: async () => ({ body: { service: "security-test", sources: ["security-test.example"] } }),
});
