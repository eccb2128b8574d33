import { conditionalGet } from "../../../pkg/cache";
import type { App } from "../../../pkg/hono/app";
import { registerTilesGet } from "./get";

export function registerTilesRoutes(app: App) {
  // ETag / 304 like the search answers.
  app.use("/api/v1/tiles/*", conditionalGet());
  registerTilesGet(app);
}
