import type { Context } from "hono";
import type { HonoEnv } from "../env";

type Level = "debug" | "info" | "warn" | "error";

/** One JSON object per line, always carrying the request id when there is a request. */
export function log(c: Context<HonoEnv> | undefined, level: Level, fields: Record<string, unknown>): void {
  const line = JSON.stringify({ level, time: new Date().toISOString(), request_id: c?.get("requestId"), ...fields });
  if (level === "error") console.error(line);
  else if (level === "warn") console.warn(line);
  else console.log(line);
}
