import { runCommonRouteTests } from "../../../../test/security";

runCommonRouteTests({ method: "GET", path: "/api/v1/health", allowed: ["anonymous"] });
