import { describe, expect, it } from "vitest";
import { runCommonRouteTests } from "../../../../test/security";
import { PASSWORD, postJson, userWithPassword } from "./test-helpers";

runCommonRouteTests({
  method: "POST",
  path: "/api/v1/auth/login",
  credentials: true,
  allowed: ["anonymous"],
  prepareRequest: async () => ({ body: { email: (await userWithPassword()).email, password: PASSWORD } }),
});

describe("POST /api/v1/auth/login security", () => {
  it("hashes even for unknown emails, so both take comparable time", async () => {
    // Not a precise timing test (the machine is shared): it only shows that the unknown-email path does
    // the PBKDF2 work instead of answering at once.
    const user = await userWithPassword();
    const time = async (email: string) => {
      const started = performance.now();
      await postJson("/api/v1/auth/login", { email, password: "not the password" });
      return performance.now() - started;
    };
    await time(user.email); // warm up
    const known = Math.min(await time(user.email), await time(user.email));
    const unknown = Math.min(await time("nobody-at-all@example.com"), await time("nobody-at-all@example.com"));
    expect(unknown).toBeGreaterThan(known * 0.4);
  });

  it("never includes the password or a password hash in its answer", async () => {
    const user = await userWithPassword();
    const text = await (await postJson("/api/v1/auth/login", { email: user.email, password: PASSWORD })).text();
    expect(text).not.toContain(PASSWORD);
    expect(text).not.toContain("pbkdf2");
  });
});
