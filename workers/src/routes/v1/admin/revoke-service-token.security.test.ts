import { runCommonRouteTests } from "../../../../test/security";

runCommonRouteTests({
  method: "DELETE",
  path: `/api/v1/admin/service-tokens/${crypto.randomUUID()}`,
  allowed: ["admin"],
});
