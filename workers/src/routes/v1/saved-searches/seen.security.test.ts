import { runCommonRouteTests } from "../../../../test/security";

// Ownership (another user's saved search is 404 and keeps its unread count): ownership.security.test.ts.
runCommonRouteTests({
  method: "POST",
  path: `/api/v1/saved-searches/${crypto.randomUUID()}/seen`,
  allowed: ["user"],
});
