import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { testEnv } from "../../../../test/helpers";
import { sha256Hex } from "../../../pkg/auth";
import { getDb, schema } from "../../../pkg/db";
import { SessionSchema } from "./schema";
import { login, postJson, postJsonWithEnv, userWithPassword } from "./test-helpers";

const refresh = (token: string) => postJson("/api/v1/auth/refresh", { refresh_token: token });

describe("POST /api/v1/auth/refresh failures", () => {
  it("is 401 for an unknown refresh token", async () => {
    const res = await refresh(`plr_${"x".repeat(43)}`);
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ success: false, error: { code: "UNAUTHORIZED" } });
  });

  it("is 401 for an expired refresh token", async () => {
    const user = await userWithPassword();
    const { refresh_token } = await login(user.email);
    const t = schema.refreshTokens;
    await getDb(testEnv)
      .update(t)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(t.tokenHash, await sha256Hex(refresh_token)));
    expect((await refresh(refresh_token)).status).toBe(401);
  });

  it("detects reuse: replaying a rotated token revokes the whole sign-in, including the newest token", async () => {
    const user = await userWithPassword();
    const stolen = (await login(user.email)).refresh_token;
    const rotated = SessionSchema.parse(await (await refresh(stolen)).json()).data.refresh_token;

    const replay = await refresh(stolen);
    expect(replay.status).toBe(401);
    // The legitimate holder's newer token is now dead too.
    expect((await refresh(rotated)).status).toBe(401);
    const t = schema.refreshTokens;
    const [row] = await getDb(testEnv)
      .select({ familyId: t.familyId })
      .from(t)
      .where(eq(t.tokenHash, await sha256Hex(stolen)));
    const alive = await getDb(testEnv)
      .select()
      .from(t)
      .where(and(eq(t.familyId, row!.familyId)));
    expect(alive.every((r) => r.revokedAt !== null)).toBe(true);
  });

  it("does not revoke other sign-ins of the same user on reuse", async () => {
    const user = await userWithPassword();
    const phone = (await login(user.email)).refresh_token;
    const laptop = (await login(user.email)).refresh_token;
    await refresh(phone);
    await refresh(phone); // reuse → phone's family revoked
    expect((await refresh(laptop)).status).toBe(200);
  });

  it("is 401 for a disabled user", async () => {
    const user = await userWithPassword();
    const { refresh_token } = await login(user.email);
    await getDb(testEnv).update(schema.users).set({ disabledAt: new Date() }).where(eq(schema.users.id, user.id));
    expect((await refresh(refresh_token)).status).toBe(401);
  });

  it("is 400 without a refresh_token", async () => {
    const res = await postJson("/api/v1/auth/refresh", {});
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain("refresh_token");
  });

  it("fails closed (503) when Redis is down", async () => {
    const res = await postJsonWithEnv(
      "/api/v1/auth/refresh",
      { UPSTASH_REDIS_REST_URL: "http://127.0.0.1:9" },
      { refresh_token: "plr_x" },
    );
    expect(res.status).toBe(503);
  });
});
