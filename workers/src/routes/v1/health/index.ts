import type { App } from "../../../pkg/hono/app";
import { registerHealthGet } from "./get";

export function registerHealthRoutes(app: App) {
  registerHealthGet(app);
}
