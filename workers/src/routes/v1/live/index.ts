import type { App } from "../../../pkg/hono/app";
import { registerLiveGet } from "./get";

export function registerLiveRoutes(app: App) {
  registerLiveGet(app);
}
