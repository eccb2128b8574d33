import type { App } from "../../../pkg/hono/app";
import { registerEnrichmentGet } from "./get";

export function registerEnrichmentRoutes(app: App) {
  registerEnrichmentGet(app);
}
