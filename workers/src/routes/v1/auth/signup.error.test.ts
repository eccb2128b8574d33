import { describe, expect, it } from "vitest";
import { call, unique } from "../../../../test/helpers";

const post = (body: unknown) =>
  call("/api/v1/auth/signup", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });

describe("POST /api/v1/auth/signup with bad input", () => {
  it("is 409 for an email that already has an account (in any case)", async () => {
    const email = `${unique("dup")}@example.com`;
    expect((await post({ email, password: "a long enough passphrase" })).status).toBe(201);
    const res = await post({ email: email.toUpperCase(), password: "another long passphrase" });
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ success: false, error: { code: "CONFLICT" } });
  });

  it.each([
    ["a malformed email", { email: "not-an-email", password: "a long enough passphrase" }, "email"],
    ["a short password", { email: "short@example.com", password: "short" }, "password"],
    ["an unknown field", { email: "x@example.com", password: "a long enough passphrase", role: "admin" }, ""],
    ["a missing password", { email: "x@example.com" }, "password"],
  ])("is 400 naming the field for %s", async (_, body, field) => {
    const res = await post(body);
    expect(res.status).toBe(400);
    const json = (await res.json()) as { error: { code: string; message: string } };
    expect(json.error.code).toBe("VALIDATION_FAILED");
    expect(json.error.message).toContain(field);
  });

  it("is 400 for a body that is not JSON", async () => {
    const res = await call("/api/v1/auth/signup", { method: "POST", headers: { "Content-Type": "application/json" }, body: "{" });
    expect(res.status).toBe(400);
  });
});
