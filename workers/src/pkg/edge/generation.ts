/**
 * The edge cache's generation in this data centre. Every key of the edge cache includes it; a write
 * (`propertiesChanged`, whoever writes) replaces it, so every entry this data centre holds stops
 * matching at once, without enumerating keys (the Cache API cannot). Other data centres keep their
 * entries until they age out (settings.ts): that is the documented bound.
 *
 * The Cache API is per data centre and shared by every isolate in it, so one write ends the entries for
 * all readers there. Where no cache exists (workers.dev, or outside a request) this is a no-op.
 */
export const EDGE_CACHE_ORIGIN = "https://edge-cache.pillow.internal";
const GENERATION_KEY = `${EDGE_CACHE_ORIGIN}/generation`;
/** Long enough to outlive every entry; if evicted sooner, entries fall back to generation "0" and expire by age. */
const GENERATION_MAX_AGE = 86_400;

/** The data centre's cache (`caches.default`; the DOM typing of `caches` in tsconfig does not know it). */
export function edgeCache(): Cache | undefined {
  return typeof caches === "undefined" ? undefined : (caches as unknown as { default: Cache }).default;
}

export async function currentGeneration(): Promise<string> {
  const cache = edgeCache();
  const hit = cache ? await cache.match(GENERATION_KEY) : undefined;
  return hit ? await hit.text() : "0";
}

/** Ends every edge entry of this data centre: the next anonymous read of any URL goes to the data plane. */
export async function newGeneration(): Promise<void> {
  const cache = edgeCache();
  if (!cache) return;
  const value = `${Date.now().toString(36)}${crypto.randomUUID().slice(0, 8)}`;
  await cache.put(GENERATION_KEY, new Response(value, { headers: { "Cache-Control": `public, max-age=${GENERATION_MAX_AGE}` } }));
}
