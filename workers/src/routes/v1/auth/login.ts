import { and, eq, isNull, sql } from "drizzle-orm";
import { decoyPasswordHash, issueSession, verifyPassword } from "../../../pkg/auth";
import { getDb, schema } from "../../../pkg/db";
import { ApiError } from "../../../pkg/errors";
import type { App } from "../../../pkg/hono/app";
import { apiRoute } from "../../../pkg/openapi/route";
import { clearLoginFailures, countLoginAttempt } from "../../../pkg/ratelimit";
import { CredentialsSchema, jsonBody, SessionSchema } from "./schema";

/** The one answer for an unknown email, a wrong password and a disabled account. */
export const LOGIN_FAILED_MESSAGE = "Wrong email or password.";

const route = apiRoute({
  access: "anonymous",
  tags: ["auth"],
  operationId: "auth.login",
  method: "post",
  path: "/api/v1/auth/login",
  summary: "Sign in with email and password",
  description:
    "Returns a short-lived access JWT and a refresh token. Unknown email and wrong password give the same 401. " +
    "After too many failed attempts for the account (or attempts from the IP) within the window, attempts get 429 with Retry-After.",
  request: { body: jsonBody(CredentialsSchema) },
  responses: {
    200: { description: "Signed in", content: { "application/json": { schema: SessionSchema } } },
  },
});

export function registerAuthLogin(app: App) {
  app.openapi(route, async (c) => {
    const { email, password } = c.req.valid("json");
    await countLoginAttempt(c, email);
    const u = schema.users;
    const [user] = await getDb(c.env)
      .select({ id: u.id, email: u.email, role: u.role, passwordHash: u.passwordHash })
      .from(u)
      .where(and(eq(sql`lower(${u.email})`, email), isNull(u.disabledAt)))
      .limit(1);
    // Hash even when there is no such user, so the answer takes as long as for a wrong password.
    const matches = await verifyPassword(password, user?.passwordHash ?? (await decoyPasswordHash()));
    if (!user || !matches) throw new ApiError("UNAUTHORIZED", LOGIN_FAILED_MESSAGE);
    await clearLoginFailures(c, email);
    return c.json({ success: true as const, data: await issueSession(c.env, user) }, 200);
  });
}
