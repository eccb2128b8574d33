import type { Hook } from "@hono/zod-openapi";
import { OpenAPIHono } from "@hono/zod-openapi";
import type { HonoEnv } from "../../env";
import { authenticate } from "../auth/authenticate";
import { verifyAccessToken } from "../auth/jwt";
import { ApiError, errorResponse, handleError, zodIssues } from "../errors";
import { authenticateAndLimit } from "../ratelimit/middleware";
import { accessLog } from "./access-log";
import { limitRequestBodies } from "./body-limit";
import { cors } from "./cors";
import { noStoreForCredentials } from "./no-store";
import { requestId } from "./request-id";
import { securityHeaders } from "./security-headers";

/** Zod failures from any route's request schema become one VALIDATION_FAILED envelope naming the fields. */
export const handleZodError: Hook<unknown, HonoEnv, string, unknown> = (result, c) => {
  if (!result.success) {
    const issues = zodIssues(result.error);
    const first = issues[0];
    const message = first ? `${first.path || "request"}: ${first.message}` : "Invalid request";
    return errorResponse(c, new ApiError("VALIDATION_FAILED", message, { details: issues }));
  }
};

/** A router with the shared error handling; every resource registers its routes on one of these. */
export function newRouter() {
  return new OpenAPIHono<HonoEnv>({ defaultHook: handleZodError });
}

/**
 * The API app. Middleware order matters: the request id exists before anything can log; the access log
 * and security headers wrap everything (errors included), as does `no-store` on credential endpoints; CORS answers preflights before credentials
 * are looked at; then the caller is identified and counted against its rate limit; then bodies are capped.
 */
export function newApp() {
  const app = newRouter();
  app.use("*", requestId());
  app.use("*", accessLog());
  app.use("*", securityHeaders());
  app.use("/api/*", noStoreForCredentials());
  app.use("/api/*", cors());
  app.use("/api/*", authenticateAndLimit(authenticate({ verifyJwt: (c, token) => verifyAccessToken(c.env, token) })));
  app.use("/api/*", limitRequestBodies());
  app.onError(handleError);
  app.notFound((c) => errorResponse(c, new ApiError("NOT_FOUND", `No route for ${c.req.method} ${c.req.path}`)));
  return app;
}

export type App = ReturnType<typeof newApp>;
