import { describe, expect, it } from "vitest";
import { call, unique } from "../../../../test/helpers";
import { SessionSchema } from "./schema";

const post = (path: string, body: unknown) =>
  call(path, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });

describe("POST /api/v1/auth/signup", () => {
  it("creates a user account and signs it in", async () => {
    const email = `${unique("signup")}@example.com`;
    const res = await post("/api/v1/auth/signup", { email: email.toUpperCase(), password: "a long enough passphrase" });
    expect(res.status, await res.clone().text()).toBe(201);
    const { data } = SessionSchema.parse(await res.json());
    expect(data.user).toMatchObject({ email: email.toLowerCase(), role: "user" });
    expect(data.token_type).toBe("Bearer");
    expect(data.refresh_token).toMatch(/^plr_/);

    const tokens = await call("/api/v1/tokens", { headers: { Authorization: `Bearer ${data.access_token}` } });
    expect(tokens.status).toBe(200);
  });
});
