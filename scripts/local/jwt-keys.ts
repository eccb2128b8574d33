/**
 * Makes an ES256 key pair for signing access JWTs, in the shape the Worker reads from its bindings:
 * `JWT_PRIVATE_KEY` (one private JWK with `kid` and `alg`) and `JWT_PUBLIC_KEYS` (a JWKS that may hold
 * older keys too, so tokens signed before a rotation still verify until they expire).
 */
import { exportJWK, generateKeyPair } from "jose";

export type JwtKeyBindings = { JWT_PRIVATE_KEY: string; JWT_PUBLIC_KEYS: string };

export async function generateJwtKeys(
  kid = `k${new Date().toISOString().slice(0, 10).replace(/-/g, "")}`,
): Promise<JwtKeyBindings> {
  const { privateKey, publicKey } = await generateKeyPair("ES256", { extractable: true });
  const privateJwk = { ...(await exportJWK(privateKey)), kid, alg: "ES256", use: "sig" };
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: "ES256", use: "sig" };
  return { JWT_PRIVATE_KEY: JSON.stringify(privateJwk), JWT_PUBLIC_KEYS: JSON.stringify({ keys: [publicJwk] }) };
}
