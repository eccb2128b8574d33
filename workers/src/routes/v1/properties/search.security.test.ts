import { runCommonRouteTests } from "../../../../test/security";

runCommonRouteTests({ method: "GET", path: "/api/v1/properties?limit=1", allowed: ["anonymous"] });
