import { runCommonRouteTests } from "../../../../test/security";

runCommonRouteTests({ method: "GET", path: "/api/v1/stats?city=security-check", allowed: ["anonymous"] });
