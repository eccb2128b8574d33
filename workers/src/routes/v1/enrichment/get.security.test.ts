import { runCommonRouteTests } from "../../../../test/security";

runCommonRouteTests({ method: "GET", path: "/api/v1/admin/enrichment?source=nobody", allowed: ["admin"] });
