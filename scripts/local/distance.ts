/**
 * Simulated distance for the local stand-ins. Two hops are modelled, as production has them once the
 * Workers are split (docs/guides/deploying.md, "The two Workers"):
 * - the data Worker's trips to Postgres and Redis (neon-http.ts, neon-ws.ts, upstash-rest.ts): every trip
 *   through a stand-in waits `rttMs` before it is answered. With the data Worker placed next to the data
 *   these trips are inside the region (the benchmark keeps them at 0); `npm start -- --rtt`, which runs the
 *   data Worker alone, sets it to model a Worker far from its data;
 * - the front Worker's requests to the data Worker (region-link.ts, the `DATA` service binding in the
 *   benchmark): each waits `linkRttMs`, the one edge↔region trip of a miss.
 * Every trip is counted, per service and per tag. A tag is a path prefix `/tag/<name>` on the endpoint URL
 * that the stand-in strips, so a test (or the benchmark) can give the Worker endpoints of its own and
 * count exactly its own trips while other tests share the stand-ins. `GET /__trips?tag=<name>` on the
 * Neon HTTP and Upstash stand-ins answers `{postgres, redis, data}` for that tag (all traffic without `tag`).
 */
export type Service = "postgres" | "redis" | "data";

export type Distance = {
  /** Round-trip delay added to each Postgres and Redis trip, ms; may be changed while the stand-ins run. */
  rttMs: number;
  /** Round-trip delay added to each front → data Worker request (region-link.ts), ms; may be changed too. */
  linkRttMs: number;
  /** Trips per `service` and tag ("" = untagged); `*` holds every tag's total. */
  counts: Map<string, number>;
};

export function createDistance(rttMs = 0, linkRttMs = 0): Distance {
  return { rttMs, linkRttMs, counts: new Map() };
}

/** `/tag/t1/sql` → `{tag: "t1", path: "/sql"}`; any other path is untagged. */
export function splitTag(pathname: string): { tag: string; path: string } {
  const m = /^\/tag\/([A-Za-z0-9_.-]{1,64})(\/.*)?$/.exec(pathname);
  return m ? { tag: m[1] as string, path: m[2] ?? "/" } : { tag: "", path: pathname };
}

export function countTrip(distance: Distance | undefined, service: Service, tag: string): void {
  if (!distance) return;
  for (const key of [`${service}|${tag}`, `${service}|*`]) distance.counts.set(key, (distance.counts.get(key) ?? 0) + 1);
}

export function tripsOf(distance: Distance | undefined, tag = "*"): Record<Service, number> {
  return {
    postgres: distance?.counts.get(`postgres|${tag}`) ?? 0,
    redis: distance?.counts.get(`redis|${tag}`) ?? 0,
    data: distance?.counts.get(`data|${tag}`) ?? 0,
  };
}

/** Waits one round trip to Postgres or Redis (nothing at RTT 0, not even a timer turn). */
export function travel(distance: Distance | undefined, ms = distance?.rttMs ?? 0): Promise<void> | undefined {
  return ms > 0 ? new Promise((r) => setTimeout(r, ms)) : undefined;
}

/** The `GET /__trips` answer, or undefined when the request is something else. */
export function tripsAnswer(distance: Distance | undefined, method: string | undefined, url: URL): string | undefined {
  if (method !== "GET" || url.pathname !== "/__trips") return undefined;
  return JSON.stringify(tripsOf(distance, url.searchParams.get("tag") ?? "*"));
}
