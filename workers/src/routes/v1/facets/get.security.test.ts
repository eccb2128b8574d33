import { runCommonRouteTests } from "../../../../test/security";

runCommonRouteTests({ method: "GET", path: "/api/v1/facets?fields=property_type&city=security-check", allowed: ["anonymous"] });
