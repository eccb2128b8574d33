import { runCommonRouteTests } from "../../../../test/security";

runCommonRouteTests({
  method: "POST",
  path: "/api/v1/auth/logout",
  credentials: true,
  allowed: ["anonymous"],
  prepareRequest: async () => ({ body: { refresh_token: "plr_not-a-real-one" } }),
});
