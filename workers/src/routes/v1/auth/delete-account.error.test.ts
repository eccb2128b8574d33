import { describe, expect, it } from "vitest";
import { jwtBearerFor } from "../../../../test/helpers";
import { NO_PASSWORD } from "../../../pkg/auth";
import { CONFIRM_EMAIL_NEEDED, PASSWORD_NEEDED, WRONG_CONFIRM_EMAIL } from "./account-checks";
import { PASSWORD, postJson, storedHash, userWithoutPassword, userWithPassword } from "./test-helpers";

type Failure = { error: { code: string; message: string } };
const DELETE = "/api/v1/auth/account/delete";

describe("POST /api/v1/auth/account/delete errors", () => {
  it("a wrong password is 422 and the account stays", async () => {
    const user = await userWithPassword();
    const res = await postJson(DELETE, { password: "not the password" }, { Authorization: await jwtBearerFor("user", user.id) });
    expect(res.status).toBe(422);
    expect((await postJson("/api/v1/auth/login", { email: user.email, password: PASSWORD })).status).toBe(200);
  });

  it.each([
    ["another address", (email: string) => `someone-else-${email}`],
    ["a different case", (email: string) => email.toUpperCase()],
    ["surrounding spaces", (email: string) => ` ${email} `],
    ["a prefix of it", (email: string) => email.slice(0, -1)],
  ])("an email confirmation with %s is 422 and the account stays", async (_, typed) => {
    const user = await userWithoutPassword();
    const res = await postJson(
      DELETE,
      { confirm_email: typed(user.email) },
      { Authorization: await jwtBearerFor("user", user.id) },
    );
    expect(res.status).toBe(422);
    expect(((await res.json()) as Failure).error.message).toBe(WRONG_CONFIRM_EMAIL);
    expect(await storedHash(user.id)).toBe(NO_PASSWORD);
  });

  it("an account without a password cannot confirm with a password, nor with nothing (422)", async () => {
    const user = await userWithoutPassword();
    const auth = { Authorization: await jwtBearerFor("user", user.id) };
    for (const body of [{ password: "anything at all" }, {}, { password: "x", confirm_email: user.email }]) {
      const res = await postJson(DELETE, body, auth);
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(((await res.json()) as Failure).error.message).toBe(CONFIRM_EMAIL_NEEDED);
    }
    expect(await storedHash(user.id)).toBe(NO_PASSWORD);
  });

  it("an account with a password and no confirmation at all is 422", async () => {
    const user = await userWithPassword();
    const res = await postJson(DELETE, {}, { Authorization: await jwtBearerFor("user", user.id) });
    expect(res.status).toBe(422);
    expect(((await res.json()) as Failure).error.message).toBe(PASSWORD_NEEDED);
  });

  it("unknown fields and over-long values are 400", async () => {
    const user = await userWithoutPassword();
    const auth = { Authorization: await jwtBearerFor("user", user.id) };
    expect((await postJson(DELETE, { confirm_email: user.email, force: true }, auth)).status).toBe(400);
    expect((await postJson(DELETE, { confirm_email: "a".repeat(255) }, auth)).status).toBe(400);
    expect((await postJson(DELETE, { confirm_email: 42 }, auth)).status).toBe(400);
    expect(await storedHash(user.id)).toBe(NO_PASSWORD);
  });

  it("typing email addresses is limited like sign-in (429 after the allowance)", async () => {
    const user = await userWithoutPassword();
    const auth = { Authorization: await jwtBearerFor("user", user.id) };
    let last: Response | undefined;
    for (let i = 0; i < 6; i++) last = await postJson(DELETE, { confirm_email: `guess-${i}@idp.pillow.test` }, auth);
    expect(last!.status).toBe(429);
    expect(Number(last!.headers.get("retry-after"))).toBeGreaterThan(0);
    // Even the right address waits now.
    expect((await postJson(DELETE, { confirm_email: user.email }, auth)).status).toBe(429);
    expect(await storedHash(user.id)).toBe(NO_PASSWORD);
  });
});
