import { z } from "@hono/zod-openapi";
import { endSession } from "../../../pkg/auth";
import type { App } from "../../../pkg/hono/app";
import { apiRoute } from "../../../pkg/openapi/route";
import { jsonBody, RefreshRequestSchema } from "./schema";

export const LogoutSchema = z
  .object({ success: z.literal(true), data: z.object({ signed_out: z.literal(true) }) })
  .openapi("Logout");

const route = apiRoute({
  access: "anonymous",
  tags: ["auth"],
  operationId: "auth.logout",
  method: "post",
  path: "/api/v1/auth/logout",
  summary: "Sign out",
  description:
    "Revokes the refresh token and every other refresh token of the same sign-in. Access tokens already issued " +
    "stay valid until they expire (at most 15 minutes). Unknown tokens are accepted silently.",
  request: { body: jsonBody(RefreshRequestSchema) },
  responses: {
    200: { description: "Signed out", content: { "application/json": { schema: LogoutSchema } } },
  },
});

export function registerAuthLogout(app: App) {
  app.openapi(route, async (c) => {
    await endSession(c.env, c.req.valid("json").refresh_token);
    return c.json({ success: true as const, data: { signed_out: true as const } }, 200);
  });
}
