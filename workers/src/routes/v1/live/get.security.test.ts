import { runCommonRouteTests } from "../../../../test/security";

// timeout=1: the stream ends after a second, so the shared tests can read the whole answer.
runCommonRouteTests({ method: "GET", path: "/api/v1/live?timeout=1", allowed: ["anonymous"] });
