import { rotateSession } from "../../../pkg/auth";
import { ApiError } from "../../../pkg/errors";
import type { App } from "../../../pkg/hono/app";
import { log } from "../../../pkg/log";
import { apiRoute } from "../../../pkg/openapi/route";
import { jsonBody, RefreshRequestSchema, SessionSchema } from "./schema";

const route = apiRoute({
  access: "anonymous",
  tags: ["auth"],
  operationId: "auth.refresh",
  method: "post",
  path: "/api/v1/auth/refresh",
  summary: "Exchange a refresh token for a new session",
  description:
    "Refresh tokens are single use: the answer carries a new one. Presenting a refresh token that was already used " +
    "revokes every token of that sign-in (reuse detection), and the caller must sign in again.",
  request: { body: jsonBody(RefreshRequestSchema) },
  responses: {
    200: { description: "A new access token and refresh token", content: { "application/json": { schema: SessionSchema } } },
  },
});

export function registerAuthRefresh(app: App) {
  app.openapi(route, async (c) => {
    const result = await rotateSession(c.env, c.req.valid("json").refresh_token);
    if (result.reuse) {
      log(c, "warn", { msg: "refresh token reused; its sign-in was revoked" });
      throw new ApiError("UNAUTHORIZED", "Invalid or expired refresh token.");
    }
    return c.json({ success: true as const, data: result.session }, 200);
  });
}
