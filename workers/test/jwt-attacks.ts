/**
 * Forged and invalid access JWTs, each of which the API must answer with 401. Used by the shared
 * security tests on every route. Each attack starts from what a real token looks like (the test key
 * pair's `kid`, our `iss`/`aud`/`typ`, a real user id) and breaks exactly one thing.
 */
import { base64url, exportJWK, generateKeyPair, importJWK, type JWK, type JWTPayload, SignJWT } from "jose";
import { jwtAudience, jwtIssuer } from "../src/pkg/auth";
import { testEnv } from "./helpers";

type SignedInRole = "user" | "service" | "admin";
export type JwtAttack = { name: string; make: (role: SignedInRole) => Promise<string> };

const privateJwk = (): JWK => JSON.parse(testEnv.JWT_PRIVATE_KEY as string) as JWK;
const publicJwk = (): JWK => (JSON.parse(testEnv.JWT_PUBLIC_KEYS as string) as { keys: JWK[] }).keys[0] as JWK;
const now = () => Math.floor(Date.now() / 1000);
const encode = (value: object) => base64url.encode(JSON.stringify(value));

function claims(role: SignedInRole, overrides: JWTPayload = {}): JWTPayload {
  return {
    sub: crypto.randomUUID(),
    role,
    iss: jwtIssuer(testEnv),
    aud: jwtAudience(testEnv),
    iat: now(),
    exp: now() + 600,
    ...overrides,
  };
}

/** Signs with the real key: only the claims (or header) are wrong. */
async function signed(payload: JWTPayload, header: Record<string, unknown> = {}): Promise<string> {
  const jwk = privateJwk();
  return new SignJWT(payload)
    .setProtectedHeader({ alg: "ES256", kid: jwk.kid, typ: "at+jwt", ...header })
    .sign(await importJWK(jwk, "ES256"));
}

/** Signs with a key the server has never seen, under the given `kid`. */
async function signedByStranger(payload: JWTPayload, kid: string): Promise<string> {
  const { privateKey } = await generateKeyPair("ES256");
  return new SignJWT(payload).setProtectedHeader({ alg: "ES256", kid, typ: "at+jwt" }).sign(privateKey);
}

function unsigned(alg: string, role: SignedInRole, trailingDot = true): string {
  const token = `${encode({ alg, typ: "at+jwt", kid: privateJwk().kid })}.${encode(claims(role))}`;
  return trailingDot ? `${token}.` : token;
}

function replacePayload(token: string, payload: JWTPayload): string {
  const [header, , signature] = token.split(".");
  return `${header}.${encode(payload)}.${signature}`;
}

function corruptSignature(token: string): string {
  const [header, payload, signature = ""] = token.split(".");
  const bytes = base64url.decode(signature);
  bytes[5] = (bytes[5] as number) ^ 0xff;
  return `${header}.${payload}.${base64url.encode(bytes)}`;
}

export const jwtAttacks: JwtAttack[] = [
  ...["none", "None", "NONE", "nOnE"].map((alg) => ({ name: `alg: ${alg}`, make: async (r: SignedInRole) => unsigned(alg, r) })),
  { name: "alg: none without the trailing dot", make: async (r) => unsigned("none", r, false) },
  {
    name: "HS256 signed with the public key",
    make: async (r) => {
      const pub = publicJwk();
      // Classic algorithm confusion: a verifier that trusts `alg` would use the public key as an HMAC secret.
      const secret = new TextEncoder().encode(JSON.stringify(pub));
      return new SignJWT(claims(r)).setProtectedHeader({ alg: "HS256", kid: pub.kid, typ: "at+jwt" }).sign(secret);
    },
  },
  {
    name: "HS256 signed with the public key's x coordinate",
    make: async (r) => {
      const pub = publicJwk();
      return new SignJWT(claims(r))
        .setProtectedHeader({ alg: "HS256", kid: pub.kid, typ: "at+jwt" })
        .sign(base64url.decode(pub.x as string));
    },
  },
  {
    name: "tampered payload (role raised to admin)",
    make: async () => {
      const token = await signed(claims("user"));
      return replacePayload(token, claims("admin"));
    },
  },
  { name: "bad signature", make: async (r) => corruptSignature(await signed(claims(r))) },
  { name: "expired", make: async (r) => signed(claims(r, { iat: now() - 7200, exp: now() - 3600 })) },
  { name: "nbf in the future", make: async (r) => signed(claims(r, { nbf: now() + 3600 })) },
  { name: "no exp", make: async (r) => signed(claims(r, { exp: undefined })) },
  { name: "no iat", make: async (r) => signed(claims(r, { iat: undefined })) },
  { name: "iat an hour in the future", make: async (r) => signed(claims(r, { iat: now() + 3600, exp: now() + 3900 })) },
  { name: "exp ten years out", make: async (r) => signed(claims(r, { exp: now() + 10 * 365 * 86_400 })) },
  {
    name: "lifetime longer than issued (iat an hour ago, not expired)",
    make: async (r) => signed(claims(r, { iat: now() - 3600, exp: now() + 300 })),
  },
  { name: "wrong iss", make: async (r) => signed(claims(r, { iss: "https://evil.example" })) },
  { name: "wrong aud", make: async (r) => signed(claims(r, { aud: "some-other-service" })) },
  { name: "unknown kid", make: async (r) => signedByStranger(claims(r), "rogue-key") },
  { name: "known kid, foreign key", make: async (r) => signedByStranger(claims(r), privateJwk().kid as string) },
  { name: "wrong typ", make: async (r) => signed(claims(r), { typ: "JWT" }) },
  { name: "unknown role claim", make: async () => signed({ ...claims("user"), role: "superuser" }) },
  {
    name: "public key embedded in the header (jwk)",
    make: async (r) => {
      const { privateKey, publicKey } = await generateKeyPair("ES256", { extractable: true });
      return new SignJWT(claims(r))
        .setProtectedHeader({ alg: "ES256", typ: "at+jwt", jwk: await exportJWK(publicKey) })
        .sign(privateKey);
    },
  },
];
