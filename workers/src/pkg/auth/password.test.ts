import { describe, expect, it } from "vitest";
import { constantTimeEqual, hashPassword, PBKDF2_ITERATIONS, verifyPassword } from "./password";

describe("password hashing", () => {
  it("stores PBKDF2-SHA256 at workerd's maximum iteration count with a per-user salt", async () => {
    const a = await hashPassword("the same passphrase");
    const b = await hashPassword("the same passphrase");
    expect(a).toMatch(new RegExp(`^pbkdf2-sha256\\$${PBKDF2_ITERATIONS}\\$[A-Za-z0-9_-]{22}\\$[A-Za-z0-9_-]{43}$`));
    expect(PBKDF2_ITERATIONS).toBe(100_000);
    expect(a).not.toBe(b);
  });

  it("verifies the right password and rejects a wrong one", async () => {
    const stored = await hashPassword("correct horse battery staple");
    expect(await verifyPassword("correct horse battery staple", stored)).toBe(true);
    expect(await verifyPassword("correct horse battery stapler", stored)).toBe(false);
  });

  it("rejects malformed hashes and iteration counts outside the allowed range without deriving", async () => {
    const stored = await hashPassword("pw pw pw pw pw");
    const [, , salt, hash] = stored.split("$");
    for (const bad of [
      "",
      "!no-password",
      `pbkdf2-sha256$1$${salt}$${hash}`,
      `pbkdf2-sha256$10000000$${salt}$${hash}`,
      `md5$100000$${salt}$${hash}`,
    ]) {
      expect(await verifyPassword("pw pw pw pw pw", bad)).toBe(false);
    }
  });

  it("compares in constant time over equal-length inputs", () => {
    expect(constantTimeEqual(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2, 3]))).toBe(true);
    expect(constantTimeEqual(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2, 4]))).toBe(false);
    expect(constantTimeEqual(new Uint8Array([1, 2]), new Uint8Array([1, 2, 3]))).toBe(false);
  });
});
