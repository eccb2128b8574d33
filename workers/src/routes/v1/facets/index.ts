import { conditionalGet } from "../../../pkg/cache";
import type { App } from "../../../pkg/hono/app";
import { registerFacetsGet } from "./get";

export function registerFacetsRoutes(app: App) {
  app.use("/api/v1/facets", conditionalGet());
  registerFacetsGet(app);
}
