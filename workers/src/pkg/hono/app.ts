import type { Hook } from "@hono/zod-openapi";
import { OpenAPIHono } from "@hono/zod-openapi";
import type { HonoEnv } from "../../env";
import { authenticate } from "../auth/authenticate";
import { ApiError, errorResponse, handleError, zodIssues } from "../errors";
import { requestId } from "./request-id";

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

export function newApp() {
  const app = newRouter();
  app.use("*", requestId());
  app.use("/api/*", authenticate());
  app.onError(handleError);
  app.notFound((c) => errorResponse(c, new ApiError("NOT_FOUND", `No route for ${c.req.method} ${c.req.path}`)));
  return app;
}

export type App = ReturnType<typeof newApp>;
