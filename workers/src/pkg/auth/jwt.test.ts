import { exportJWK, generateKeyPair, importJWK, type JWK, SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { callWithEnv, createUser, testEnv } from "../../../test/helpers";
import { ApiError } from "../errors";
import {
  CLOCK_SKEW_SECONDS,
  jwtAudience,
  jwtIssuer,
  MAX_ACCESS_TOKEN_LIFETIME_SECONDS,
  signAccessToken,
  verifyAccessToken,
} from "./jwt";

const now = () => Math.floor(Date.now() / 1000);

async function signWith(key: CryptoKey, kid: string, claims: Record<string, unknown>) {
  return new SignJWT({ role: "user", ...claims })
    .setProtectedHeader({ alg: "ES256", kid, typ: "at+jwt" })
    .setSubject(crypto.randomUUID())
    .setIssuer(jwtIssuer(testEnv))
    .setAudience(jwtAudience(testEnv))
    .sign(key);
}

const realKey = async () => {
  const jwk = JSON.parse(testEnv.JWT_PRIVATE_KEY as string) as JWK;
  return { key: (await importJWK(jwk, "ES256")) as CryptoKey, kid: jwk.kid as string };
};

async function newKeyPair(kid: string) {
  const { privateKey, publicKey } = await generateKeyPair("ES256", { extractable: true });
  return {
    privateKey,
    privateJwk: JSON.stringify({ ...(await exportJWK(privateKey)), kid, alg: "ES256" }),
    publicJwk: { ...(await exportJWK(publicKey)), kid, alg: "ES256" },
  };
}

describe("access JWT verification", () => {
  it("round-trips: a signed token verifies to the user's identity", async () => {
    const { token } = await signAccessToken(testEnv, { userId: "5f0c6f7e-1111-4c4c-9999-000000000001", role: "service" });
    expect(await verifyAccessToken(testEnv, token)).toEqual({
      kind: "user",
      role: "service",
      subject: "user:5f0c6f7e-1111-4c4c-9999-000000000001",
      userId: "5f0c6f7e-1111-4c4c-9999-000000000001",
    });
  });

  it(`tolerates ${CLOCK_SKEW_SECONDS} s of clock skew on exp, but no more`, async () => {
    const { key, kid } = await realKey();
    const justExpired = await signWith(key, kid, { iat: now() - 900, exp: now() - 10 });
    await expect(verifyAccessToken(testEnv, justExpired)).resolves.toMatchObject({ kind: "user" });
    const longExpired = await signWith(key, kid, { iat: now() - 900, exp: now() - CLOCK_SKEW_SECONDS - 30 });
    await expect(verifyAccessToken(testEnv, longExpired)).rejects.toBeInstanceOf(ApiError);
  });

  it("accepts a token from a signer whose clock is slightly ahead (iat a few seconds in the future)", async () => {
    const { key, kid } = await realKey();
    const token = await signWith(key, kid, { iat: now() + 10, exp: now() + 900 });
    await expect(verifyAccessToken(testEnv, token)).resolves.toMatchObject({ kind: "user" });
  });

  it(`refuses an iat more than ${CLOCK_SKEW_SECONDS} s in the future`, async () => {
    const { key, kid } = await realKey();
    const ahead = await signWith(key, kid, { iat: now() + CLOCK_SKEW_SECONDS + 30, exp: now() + CLOCK_SKEW_SECONDS + 300 });
    await expect(verifyAccessToken(testEnv, ahead)).rejects.toBeInstanceOf(ApiError);
  });

  it(`refuses a lifetime (exp − iat) over ${MAX_ACCESS_TOKEN_LIFETIME_SECONDS} s, and accepts exactly that`, async () => {
    const { key, kid } = await realKey();
    const exact = await signWith(key, kid, { iat: now(), exp: now() + MAX_ACCESS_TOKEN_LIFETIME_SECONDS });
    await expect(verifyAccessToken(testEnv, exact)).resolves.toMatchObject({ kind: "user" });
    const tooLong = await signWith(key, kid, { iat: now(), exp: now() + MAX_ACCESS_TOKEN_LIFETIME_SECONDS + 1 });
    await expect(verifyAccessToken(testEnv, tooLong)).rejects.toBeInstanceOf(ApiError);
    const tenYears = await signWith(key, kid, { iat: now(), exp: now() + 10 * 365 * 86_400 });
    await expect(verifyAccessToken(testEnv, tenYears)).rejects.toBeInstanceOf(ApiError);
  });

  it("rotates keys by kid: old tokens verify while the old public key is listed, new ones use the new key", async () => {
    const oldKeys = await newKeyPair("old");
    const newKeys = await newKeyPair("new");
    const user = await createUser("user");
    const during = {
      JWT_PRIVATE_KEY: newKeys.privateJwk,
      JWT_PUBLIC_KEYS: JSON.stringify({ keys: [oldKeys.publicJwk, newKeys.publicJwk] }),
    };
    const oldToken = await new SignJWT({ role: "user" })
      .setProtectedHeader({ alg: "ES256", kid: "old", typ: "at+jwt" })
      .setSubject(user.id)
      .setIssuer(jwtIssuer(testEnv))
      .setAudience(jwtAudience(testEnv))
      .setIssuedAt()
      .setExpirationTime("10m")
      .sign(oldKeys.privateKey);
    const { token: newToken } = await signAccessToken({ ...testEnv, ...during }, { userId: user.id, role: "user" });

    const get = (token: string, env: Record<string, string>) =>
      callWithEnv("/api/v1/tokens", env, { headers: { Authorization: `Bearer ${token}` } });
    expect((await get(oldToken, during)).status).toBe(200);
    expect((await get(newToken, during)).status).toBe(200);

    const after = { ...during, JWT_PUBLIC_KEYS: JSON.stringify({ keys: [newKeys.publicJwk] }) };
    expect((await get(oldToken, after)).status).toBe(401);
    expect((await get(newToken, after)).status).toBe(200);
  });

  it("rejects tokens for another issuer's audience configuration", async () => {
    const { token } = await signAccessToken(testEnv, { userId: crypto.randomUUID(), role: "user" });
    await expect(verifyAccessToken({ ...testEnv, JWT_AUDIENCE: "other-api" }, token)).rejects.toMatchObject({ status: 401 });
    await expect(verifyAccessToken({ ...testEnv, JWT_ISSUER: "someone-else" }, token)).rejects.toMatchObject({ status: 401 });
  });

  it("is 503 (not 401 for everyone) when the verification keys are missing or broken", async () => {
    const { token } = await signAccessToken(testEnv, { userId: crypto.randomUUID(), role: "user" });
    // wrangler.toml requires the secret (`wrangler deploy` refuses without it), so the type has no gap for it.
    const { JWT_PUBLIC_KEYS: _unset, ...withoutKeys } = testEnv;
    await expect(verifyAccessToken(withoutKeys as typeof testEnv, token)).rejects.toMatchObject({ status: 503 });
    await expect(verifyAccessToken({ ...testEnv, JWT_PUBLIC_KEYS: "{nope" }, token)).rejects.toMatchObject({ status: 503 });
  });
});
