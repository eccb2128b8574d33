import { conditionalGet } from "../../../pkg/cache";
import type { App } from "../../../pkg/hono/app";
import { registerStatsGet } from "./get";

export function registerStatsRoutes(app: App) {
  app.use("/api/v1/stats", conditionalGet());
  registerStatsGet(app);
}
