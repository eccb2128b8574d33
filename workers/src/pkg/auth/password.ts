/**
 * Password hashing with PBKDF2-HMAC-SHA256 from WebCrypto, the slow KDF the Workers runtime offers.
 * workerd refuses more than 100 000 iterations (cloudflare/workerd#1346), so we use exactly that: the
 * highest cost the platform allows. Each hash carries its own random salt and iteration count
 * (`pbkdf2-sha256$<iterations>$<salt>$<hash>`, base64url), so the cost can change without a migration.
 */
export const PBKDF2_ITERATIONS = 100_000;
const MIN_ITERATIONS = 10_000;
const SALT_BYTES = 16;
const HASH_BITS = 256;
const SCHEME = "pbkdf2-sha256";

function toBase64Url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
}

function fromBase64Url(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
  return Uint8Array.from(binary, (ch) => ch.charCodeAt(0));
}

async function derive(password: string, salt: Uint8Array<ArrayBuffer>, iterations: number): Promise<Uint8Array> {
  const material = await crypto.subtle.importKey("raw", new TextEncoder().encode(password), "PBKDF2", false, ["deriveBits"]);
  const bits = await crypto.subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt, iterations }, material, HASH_BITS);
  return new Uint8Array(bits);
}

/** Compares in time that depends only on the length, never on where the bytes first differ. */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] as number) ^ (b[i] as number);
  return diff === 0;
}

export async function hashPassword(password: string): Promise<string> {
  const salt = crypto.getRandomValues(new Uint8Array(SALT_BYTES));
  const hash = await derive(password, salt, PBKDF2_ITERATIONS);
  return `${SCHEME}$${PBKDF2_ITERATIONS}$${toBase64Url(salt)}$${toBase64Url(hash)}`;
}

/** A well-formed hash of a random password: verifying against it costs the same as a real check. */
let decoy: Promise<string> | undefined;
export function decoyPasswordHash(): Promise<string> {
  decoy ??= hashPassword(toBase64Url(crypto.getRandomValues(new Uint8Array(24))));
  return decoy;
}

/**
 * What an account made through an OpenID Connect provider stores instead of a hash: it has no password
 * (docs/auth.md "Account changes"). Never a valid hash (`verifyPassword` reads `pbkdf2-sha256$…`), so no
 * password opens such an account until its owner sets one.
 */
export const NO_PASSWORD = "!oidc-only";

/** Whether an account has a password of its own, which then confirms changes to it (see NO_PASSWORD). */
export function hasPassword(stored: string): boolean {
  return stored !== NO_PASSWORD;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, iterationsText, saltText, hashText] = stored.split("$");
  const iterations = Number(iterationsText);
  if (scheme !== SCHEME || !saltText || !hashText) return false;
  if (!Number.isInteger(iterations) || iterations < MIN_ITERATIONS || iterations > PBKDF2_ITERATIONS) return false;
  const expected = fromBase64Url(hashText);
  const actual = await derive(password, fromBase64Url(saltText), iterations);
  return constantTimeEqual(actual, expected);
}
