/**
 * Access JWTs for signed-in users. The algorithm is pinned to ES256 on both sides: the verifier never
 * reads `alg` from the token to choose how to verify, so `alg: none` and HS256-with-the-public-key
 * tokens cannot pass. Keys come from bindings: `JWT_PRIVATE_KEY` (one JWK with `kid`) signs,
 * `JWT_PUBLIC_KEYS` (a JWKS) verifies, looked up by `kid` so keys can rotate without logging anyone out.
 */
import { createLocalJWKSet, importJWK, type JSONWebKeySet, type JWK, jwtVerify, SignJWT } from "jose";
import type { Env } from "../../env";
import { ApiError, ServiceUnavailableError } from "../errors";
import type { Identity, Role } from "./identity";

export const JWT_ALGORITHM = "ES256";
/** `typ` of our access tokens (RFC 9068), so no other JWT signed with the same key can stand in for one. */
const ACCESS_TOKEN_TYPE = "at+jwt";
export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;
/**
 * The longest lifetime (`exp − iat`) the verifier accepts: what the signer issues. A token that claims
 * more was not made by `signAccessToken` (or was made with a leaked key to last); it is refused.
 */
export const MAX_ACCESS_TOKEN_LIFETIME_SECONDS = ACCESS_TOKEN_TTL_SECONDS;
/** Tolerated clock difference between the signer and the verifier. */
export const CLOCK_SKEW_SECONDS = 30;

const DEFAULT_ISSUER = "pillow";
const DEFAULT_AUDIENCE = "pillow-api";
const SIGNED_IN_ROLES = new Set<Role>(["user", "service", "admin"]);

export function jwtIssuer(env: Env): string {
  return env.JWT_ISSUER || DEFAULT_ISSUER;
}

export function jwtAudience(env: Env): string {
  return env.JWT_AUDIENCE || DEFAULT_AUDIENCE;
}

function parseJson<T>(name: string, value: unknown): T {
  if (typeof value !== "string" || value === "") throw new ServiceUnavailableError(`${name} is not configured.`);
  try {
    return JSON.parse(value) as T;
  } catch {
    throw new ServiceUnavailableError(`${name} is not valid JSON.`);
  }
}

type SigningKey = { kid: string; key: CryptoKey | Uint8Array };
const signingKeys = new Map<string, Promise<SigningKey>>();
const verifyingKeySets = new Map<string, ReturnType<typeof createLocalJWKSet>>();

function signingKey(env: Env): Promise<SigningKey> {
  const raw = env.JWT_PRIVATE_KEY;
  let cached = signingKeys.get(raw ?? "");
  if (!cached) {
    const jwk = parseJson<JWK>("JWT_PRIVATE_KEY", raw);
    if (!jwk.kid) throw new ServiceUnavailableError("JWT_PRIVATE_KEY has no kid.");
    const kid = jwk.kid;
    cached = importJWK(jwk, JWT_ALGORITHM).then((key) => ({ kid, key }));
    cached.catch(() => signingKeys.delete(raw ?? ""));
    signingKeys.set(raw ?? "", cached);
  }
  return cached;
}

function verifyingKeySet(env: Env) {
  const raw = env.JWT_PUBLIC_KEYS;
  let set = verifyingKeySets.get(raw ?? "");
  if (!set) {
    const jwks = parseJson<JSONWebKeySet>("JWT_PUBLIC_KEYS", raw);
    if (!Array.isArray(jwks.keys)) throw new ServiceUnavailableError("JWT_PUBLIC_KEYS is not a JWKS ({keys:[…]}).");
    set = createLocalJWKSet(jwks);
    verifyingKeySets.set(raw ?? "", set);
  }
  return set;
}

/** Signs a short-lived access token for a user. */
export async function signAccessToken(env: Env, claims: { userId: string; role: Exclude<Role, "anonymous"> }) {
  const { kid, key } = await signingKey(env);
  const token = await new SignJWT({ role: claims.role })
    .setProtectedHeader({ alg: JWT_ALGORITHM, kid, typ: ACCESS_TOKEN_TYPE })
    .setSubject(claims.userId)
    .setIssuer(jwtIssuer(env))
    .setAudience(jwtAudience(env))
    .setIssuedAt()
    .setExpirationTime(`${ACCESS_TOKEN_TTL_SECONDS}s`)
    .sign(key);
  return { token, expiresIn: ACCESS_TOKEN_TTL_SECONDS };
}

const INVALID = "Invalid or expired credentials.";

/**
 * Verifies an access token and turns it into an identity. Every way a token can be wrong (format,
 * algorithm, signature, unknown `kid`, expiry, `nbf`, an `iat` in the future or a lifetime longer than
 * the signer gives, issuer, audience, missing claims) is the same 401;
 * only a missing or broken key configuration is a 503.
 */
export async function verifyAccessToken(env: Env, token: string): Promise<Identity> {
  const keys = verifyingKeySet(env);
  try {
    const { payload } = await jwtVerify(token, keys, {
      algorithms: [JWT_ALGORITHM],
      issuer: jwtIssuer(env),
      audience: jwtAudience(env),
      typ: ACCESS_TOKEN_TYPE,
      clockTolerance: CLOCK_SKEW_SECONDS,
      requiredClaims: ["exp", "iat", "sub", "role"],
      // With maxTokenAge jose also refuses an `iat` more than the skew in the future (RFC 7519 §4.1.6).
      maxTokenAge: MAX_ACCESS_TOKEN_LIFETIME_SECONDS,
    });
    if (typeof payload.exp !== "number" || typeof payload.iat !== "number") throw new ApiError("UNAUTHORIZED", INVALID);
    if (payload.exp - payload.iat > MAX_ACCESS_TOKEN_LIFETIME_SECONDS) throw new ApiError("UNAUTHORIZED", INVALID);
    const role = payload.role as Role;
    if (!SIGNED_IN_ROLES.has(role) || typeof payload.sub !== "string") throw new ApiError("UNAUTHORIZED", INVALID);
    return { kind: "user", role: role as Exclude<Role, "anonymous">, subject: `user:${payload.sub}`, userId: payload.sub };
  } catch (err) {
    if (err instanceof ApiError) throw err;
    // jose's JOSEError family, and anything else a malformed token provokes in the decoder: all "invalid".
    throw new ApiError("UNAUTHORIZED", INVALID);
  }
}
