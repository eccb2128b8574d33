import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { bearerFor, call, createUser, jwtBearerFor, testEnv } from "../../../../test/helpers";
import { sha256Hex } from "../../../pkg/auth";
import { getDb, schema } from "../../../pkg/db";
import { CreateTokenResponseSchema } from "./create";

const create = (auth: string, body: unknown) =>
  call("/api/v1/tokens", {
    method: "POST",
    headers: { Authorization: auth, "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });

describe("POST /api/v1/tokens", () => {
  it("creates a token shown once, stored only as its SHA-256, that authenticates as its owner", async () => {
    const user = await createUser("user");
    const res = await create(await jwtBearerFor("user", user.id), { name: "scripts" });
    expect(res.status, await res.clone().text()).toBe(201);
    const { data } = CreateTokenResponseSchema.parse(await res.json());
    expect(data).toMatchObject({ name: "scripts", role: "user", service: null, expires_at: null });
    expect(data.token).toMatch(/^pil_[A-Za-z0-9_-]{43}$/);
    expect(data.token.startsWith(data.prefix)).toBe(true);

    const [row] = await getDb(testEnv).select().from(schema.apiTokens).where(eq(schema.apiTokens.id, data.id));
    expect(row?.tokenHash).toBe(await sha256Hex(data.token));
    expect(row?.userId).toBe(user.id);
    expect(JSON.stringify(row)).not.toContain(data.token);

    const listed = await call("/api/v1/tokens", { headers: { Authorization: `Bearer ${data.token}` } });
    expect(listed.status).toBe(200);
    const ids = ((await listed.json()) as { data: Array<{ id: string }> }).data.map((t) => t.id);
    expect(ids).toContain(data.id);
  });

  it("lets an admin create a token with any role up to admin, and an expiry", async () => {
    const expires = new Date(Date.now() + 86_400_000).toISOString();
    const res = await create(await bearerFor("admin"), { name: "ops", role: "admin", expires_at: expires });
    expect(res.status).toBe(201);
    const { data } = CreateTokenResponseSchema.parse(await res.json());
    expect(data.role).toBe("admin");
    expect(Date.parse(data.expires_at!)).toBe(Date.parse(expires));
  });

  it("lets a user-owned token create further tokens for the same owner", async () => {
    const user = await createUser("user");
    const res = await create(await bearerFor("user", { userId: user.id }), { name: "child" });
    expect(res.status).toBe(201);
  });
});
