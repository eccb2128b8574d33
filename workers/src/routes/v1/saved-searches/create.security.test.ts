import { runCommonRouteTests } from "../../../../test/security";

// Ownership (another user's saved search is 404) for this route: ownership.security.test.ts.
runCommonRouteTests({
  method: "POST",
  path: `/api/v1/saved-searches`,
  allowed: ["user"],
  credentials: true,
  prepareRequest: async () => ({ body: { name: "security test", query: "city=Hobart" } }),
});
