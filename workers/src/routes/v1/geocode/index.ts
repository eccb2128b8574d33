import type { App } from "../../../pkg/hono/app";
import { registerGeocodePost } from "./post";

export function registerGeocodeRoutes(app: App) {
  registerGeocodePost(app);
}
