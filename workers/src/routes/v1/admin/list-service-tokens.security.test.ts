import { runCommonRouteTests } from "../../../../test/security";

runCommonRouteTests({ method: "GET", path: "/api/v1/admin/service-tokens", allowed: ["admin"], credentials: true });
