import { describe, expect, it } from "vitest";
import { jwtBearerFor } from "../../../../test/helpers";
import { NO_PASSWORD } from "../../../pkg/auth";
import { CURRENT_PASSWORD_NEEDED, NO_PASSWORD_YET, WRONG_CURRENT_PASSWORD } from "./account-checks";
import { PASSWORD, postJson, storedHash, userWithoutPassword, userWithPassword } from "./test-helpers";

type Failure = { error: { code: string; message: string } };

describe("POST /api/v1/auth/password errors", () => {
  it("a wrong current password is 422 and leaves the password alone", async () => {
    const user = await userWithPassword();
    const res = await postJson(
      "/api/v1/auth/password",
      { current_password: "not my password at all", new_password: "another long passphrase" },
      { Authorization: await jwtBearerFor("user", user.id) },
    );
    expect(res.status).toBe(422);
    expect(((await res.json()) as Failure).error.message).toBe(WRONG_CURRENT_PASSWORD);
    expect((await postJson("/api/v1/auth/login", { email: user.email, password: PASSWORD })).status).toBe(200);
  });

  it("an account with a password cannot leave the current one out (422); the password stays", async () => {
    const user = await userWithPassword();
    const res = await postJson(
      "/api/v1/auth/password",
      { new_password: "another long passphrase" },
      { Authorization: await jwtBearerFor("user", user.id) },
    );
    expect(res.status).toBe(422);
    expect(((await res.json()) as Failure).error.message).toBe(CURRENT_PASSWORD_NEEDED);
    expect((await postJson("/api/v1/auth/login", { email: user.email, password: PASSWORD })).status).toBe(200);
  });

  it("an account without a password given a current one is 422 and stays without a password", async () => {
    const user = await userWithoutPassword();
    const res = await postJson(
      "/api/v1/auth/password",
      { current_password: "something", new_password: "another long passphrase" },
      { Authorization: await jwtBearerFor("user", user.id) },
    );
    expect(res.status).toBe(422);
    expect(((await res.json()) as Failure).error.message).toBe(NO_PASSWORD_YET);
    expect(await storedHash(user.id)).toBe(NO_PASSWORD);
  });

  it("a too short new password is 400 naming new_password", async () => {
    const user = await userWithPassword();
    const res = await postJson(
      "/api/v1/auth/password",
      { current_password: PASSWORD, new_password: "short" },
      { Authorization: await jwtBearerFor("user", user.id) },
    );
    expect(res.status).toBe(400);
    expect(((await res.json()) as Failure).error.message).toContain("new_password");
  });

  it("a first password must be a valid one too (400), and nothing is set", async () => {
    const user = await userWithoutPassword();
    const res = await postJson(
      "/api/v1/auth/password",
      { new_password: "            " },
      { Authorization: await jwtBearerFor("user", user.id) },
    );
    expect(res.status).toBe(400);
    expect(await storedHash(user.id)).toBe(NO_PASSWORD);
  });

  it("guessing the current password is limited like sign-in (429 after the allowance)", async () => {
    const user = await userWithPassword();
    const auth = { Authorization: await jwtBearerFor("user", user.id) };
    let last: Response | undefined;
    for (let i = 0; i < 6; i++)
      last = await postJson(
        "/api/v1/auth/password",
        { current_password: `guess ${i}`, new_password: "another long passphrase" },
        auth,
      );
    expect(last!.status).toBe(429);
    expect(Number(last!.headers.get("retry-after"))).toBeGreaterThan(0);
  });

  it("setting a first password counts against the sign-in limits too: 429 once the account's allowance is used up", async () => {
    const user = await userWithoutPassword();
    for (let i = 0; i < 5; i++) await postJson("/api/v1/auth/login", { email: user.email, password: `guess number ${i}` });
    const res = await postJson(
      "/api/v1/auth/password",
      { new_password: "another long passphrase" },
      { Authorization: await jwtBearerFor("user", user.id) },
    );
    expect(res.status).toBe(429);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await storedHash(user.id)).toBe(NO_PASSWORD);
  });
});
