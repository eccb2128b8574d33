/**
 * A valid API token's identity kept in the data centre's Cache API for a bounded time, so a warm token
 * costs no database round trip. The key is the token's SHA-256 (what `api_tokens.token_hash` holds);
 * the token itself is never stored. Revoking or changing a token deletes its entry in the data centre
 * that handled the revocation, so there it is effective at once; elsewhere the entry lives at most
 * `TOKEN_IDENTITY_TTL_SECONDS` (default 60), and never past the token's own expiry. docs/auth.md
 * ("Token identity at the edge") states the bound.
 */
import type { Env } from "../../env";
import { edgeCache } from "../edge/generation";
import { log } from "../log";
import type { Identity } from "./identity";

export const DEFAULT_TOKEN_IDENTITY_TTL_SECONDS = 60;
const KEY_ORIGIN = "https://identity-cache.pillow.internal/token/";

type TokenIdentity = Extract<Identity, { kind: "token" }>;
type Entry = { identity: TokenIdentity; until: number };

export function tokenIdentityTtlSeconds(env: Env): number {
  const raw = env.TOKEN_IDENTITY_TTL_SECONDS;
  const n = typeof raw === "string" && raw.trim() !== "" ? Number(raw) : Number.NaN;
  return Number.isFinite(n) && n >= 0 ? Math.floor(n) : DEFAULT_TOKEN_IDENTITY_TTL_SECONDS;
}

/** The identity remembered for this token hash, if it is still within its time. */
export async function cachedTokenIdentity(tokenHash: string): Promise<TokenIdentity | undefined> {
  const cache = edgeCache();
  if (!cache) return undefined;
  try {
    const hit = await cache.match(KEY_ORIGIN + tokenHash);
    if (!hit) return undefined;
    const entry = (await hit.json()) as Entry;
    return entry.until > Date.now() ? entry.identity : undefined;
  } catch (err) {
    log(undefined, "warn", { msg: "token identity cache unreadable", error: (err as Error).message });
    return undefined;
  }
}

/** Remembers a token's identity until the TTL passes or the token expires, whichever is sooner. */
export async function rememberTokenIdentity(
  env: Env,
  tokenHash: string,
  identity: TokenIdentity,
  expiresAt: Date | null,
): Promise<void> {
  const cache = edgeCache();
  const ttlMs = tokenIdentityTtlSeconds(env) * 1000;
  const until = Math.min(Date.now() + ttlMs, expiresAt ? expiresAt.getTime() : Number.POSITIVE_INFINITY);
  const seconds = Math.floor((until - Date.now()) / 1000);
  if (!cache || seconds < 1) return;
  const entry: Entry = { identity, until };
  try {
    await cache.put(
      KEY_ORIGIN + tokenHash,
      new Response(JSON.stringify(entry), {
        headers: { "Content-Type": "application/json", "Cache-Control": `public, max-age=${seconds}` },
      }),
    );
  } catch (err) {
    log(undefined, "warn", { msg: "could not remember token identity", error: (err as Error).message });
  }
}

/** Forgets a token's identity in this data centre (revocation, changed sources). */
export async function forgetTokenIdentity(tokenHash: string): Promise<void> {
  const cache = edgeCache();
  if (cache) await cache.delete(KEY_ORIGIN + tokenHash);
}
