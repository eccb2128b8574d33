import { describe, expect, it } from "vitest";
import { call, unique } from "../../../../test/helpers";
import { runCommonRouteTests } from "../../../../test/security";

runCommonRouteTests({
  method: "POST",
  path: "/api/v1/auth/signup",
  credentials: true,
  allowed: ["anonymous"],
  prepareRequest: async () => ({ body: { email: `${unique("sec")}@example.com`, password: "a long enough passphrase" } }),
});

describe("POST /api/v1/auth/signup security", () => {
  it.each([
    ["twelve spaces", " ".repeat(12)],
    ["tabs and newlines", "\t\n\r ".repeat(4)],
    ["Unicode spaces (no-break, em, ideographic, zero-width)", "\u00a0\u2003\u3000\u200b".repeat(4)],
  ])("refuses a password of only whitespace (%s): 400, and no account is made", async (_, password) => {
    const email = `${unique("blank")}@example.com`;
    const post = (pw: string) =>
      call("/api/v1/auth/signup", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ email, password: pw }),
      });
    const res = await post(password);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: "VALIDATION_FAILED", details: [{ path: "password" }] } });
    // The address is still free: the refused request created nothing.
    expect((await post(`${password}x`)).status).toBe(201);
  });

  it("cannot choose its own role: every account starts as user", async () => {
    const res = await call("/api/v1/auth/signup", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ email: `${unique("role")}@example.com`, password: "a long enough passphrase", role: "admin" }),
    });
    expect(res.status).toBe(400);
  });

  it("never returns the password or its hash", async () => {
    const password = `pw-${crypto.randomUUID()}`;
    const res = await call("/api/v1/auth/signup", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ email: `${unique("leak")}@example.com`, password }),
    });
    const text = await res.text();
    expect(res.status).toBe(201);
    expect(text).not.toContain(password);
    expect(text).not.toContain("pbkdf2");
  });

  it("rejects bodies over the size limit with 413", async () => {
    const res = await call("/api/v1/auth/signup", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ email: "big@example.com", password: "x".repeat(200_000) }),
    });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: { code: "PAYLOAD_TOO_LARGE" } });
  });
});
