import { runCommonRouteTests } from "../../../../test/security";

// Ownership (another user's saved search is 404) for this route: ownership.security.test.ts.
runCommonRouteTests({
  method: "POST",
  path: `/api/v1/saved-searches/${crypto.randomUUID()}/deliveries/${crypto.randomUUID()}/retry`,
  allowed: ["user"],
});
