import { runCommonRouteTests } from "../../../../test/security";

// A well-formed id nobody has: permitted callers get 404, the others 401/403.
runCommonRouteTests({ method: "DELETE", path: `/api/v1/properties/${crypto.randomUUID()}`, allowed: ["admin"] });
