import { z } from "@hono/zod-openapi";
import { sql } from "drizzle-orm";
import type { Env } from "../../../env";
import { getDb } from "../../../pkg/db";
import { ErrorEnvelopeSchema, SERVICE_RETRY_AFTER_SECONDS } from "../../../pkg/errors";
import type { App } from "../../../pkg/hono/app";
import { apiRoute } from "../../../pkg/openapi/route";
import { getRedis } from "../../../pkg/redis";

const CheckSchema = z.enum(["ok", "error"]).openapi({ description: "`ok` when the service answered a probe" });

export const HealthSchema = z
  .object({
    success: z.boolean(),
    status: z.enum(["ok", "unavailable"]),
    version: z.string(),
    checks: z.object({ database: CheckSchema, redis: CheckSchema }),
  })
  .openapi("Health");

export const HealthUnavailableSchema = HealthSchema.extend({ success: z.literal(false) })
  .merge(ErrorEnvelopeSchema.pick({ error: true }))
  .openapi("HealthUnavailable");

const route = apiRoute({
  access: "anonymous",
  tags: ["health"],
  operationId: "health.get",
  method: "get",
  path: "/api/v1/health",
  summary: "Liveness and dependency health",
  description: "Probes Postgres and Redis. 200 when both answer; 503 (with the error envelope) otherwise.",
  responses: {
    200: { description: "Everything is reachable", content: { "application/json": { schema: HealthSchema } } },
    503: {
      description: "A dependency is unreachable or not configured",
      content: { "application/json": { schema: HealthUnavailableSchema } },
    },
  },
});

const PROBE_TIMEOUT_MS = 2_000;

async function probe(check: () => Promise<unknown>): Promise<"ok" | "error"> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error("timeout")), PROBE_TIMEOUT_MS);
  });
  try {
    await Promise.race([check(), timeout]);
    return "ok";
  } catch {
    return "error";
  } finally {
    clearTimeout(timer);
  }
}

export function checkDependencies(env: Env) {
  return Promise.all([probe(() => getDb(env).execute(sql`select 1`)), probe(() => getRedis(env).ping())]);
}

export function registerHealthGet(app: App) {
  app.openapi(route, async (c) => {
    const [database, redis] = await checkDependencies(c.env);
    const version = c.env.APP_VERSION ?? "dev";
    c.header("Cache-Control", "no-store");
    if (database === "ok" && redis === "ok") {
      return c.json({ success: true, status: "ok" as const, version, checks: { database, redis } }, 200);
    }
    const down = [database === "error" && "database", redis === "error" && "redis"].filter(Boolean).join(" and ");
    // As every 503 from an unavailable service (pkg/errors/api-error.ts).
    c.header("Retry-After", String(SERVICE_RETRY_AFTER_SECONDS));
    return c.json(
      {
        success: false as const,
        status: "unavailable" as const,
        version,
        checks: { database, redis },
        error: {
          code: "SERVICE_UNAVAILABLE" as const,
          message: `Unavailable: ${down} did not answer.`,
          request_id: c.get("requestId"),
        },
      },
      503,
    );
  });
}
