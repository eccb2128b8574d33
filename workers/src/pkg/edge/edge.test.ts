/**
 * The edge layer (pkg/edge) of the front Worker inside workerd with the real Cache API, Postgres and Redis:
 * trips are counted by the local stand-ins, and crossings to the data Worker by the front's binding
 * (workers/test/distance.ts), never inferred from timings.
 */
import { describe, expect, it } from "vitest";
import { taggedWorker } from "../../../test/distance";
import { bearerFor, testEnv, unique } from "../../../test/helpers";
import { insertProperties } from "../../../test/property-rows";
import { DATA_VERSION_KEY, propertiesChanged } from "../changes";
import { getRedis } from "../redis";

const ids = async (res: Response) => ((await res.json()) as { data: Array<{ id: string }> }).data.map((d) => d.id);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A write stored and announced to Redis only, as one handled in another data centre is seen from here. */
async function writeElsewhere(city: string, listedAt: string): Promise<string> {
  const [id] = await insertProperties([{ city, listed_at: listedAt }]);
  await getRedis(testEnv).incr(DATA_VERSION_KEY);
  return id as string;
}

describe("answers from the edge", () => {
  it("serves a second identical anonymous search, detail, stats, facets and tile without touching Redis or Postgres", async () => {
    const city = unique("Edgeton");
    const [id] = await insertProperties([{ city }]);
    const edge = taggedWorker();
    for (const url of [
      `/api/v1/properties?city=${city}&limit=5`,
      `/api/v1/properties/${id}`,
      `/api/v1/stats?city=${city}`,
      `/api/v1/facets?fields=property_type&city=${city}`,
      `/api/v1/tiles/0/0/0.mvt?city=${city}`,
    ]) {
      const before = await edge.trips();
      const callsBefore = edge.dataCalls();
      const miss = await edge.call(url);
      expect(miss.status, url).toBe(200);
      const missBody = await miss.text();
      const afterMiss = await edge.trips();
      // The miss crossed to the data Worker once (the one edge↔region trip), which went to the data plane
      // (Redis for the limit and cache; Postgres unless Redis had it).
      expect(edge.dataCalls(), url).toBe(callsBefore + 1);
      expect(afterMiss.redis + afterMiss.postgres, url).toBeGreaterThan(before.redis + before.postgres);
      // Another test file's write may end this data centre's entries between two requests (that is the
      // point of the generation); every edge hit, though, must have made no trip at all.
      let hits = 0;
      for (let attempt = 0; attempt < 5 && hits === 0; attempt++) {
        const start = await edge.trips();
        const callsStart = edge.dataCalls();
        const again = await edge.call(url.replace(/\?(.*)$/, (_, q: string) => `?${q.split("&").reverse().join("&")}`));
        const end = await edge.trips();
        if (again.headers.get("x-edge-cache") !== "hit") continue;
        hits++;
        expect(end, url).toEqual(start);
        expect(edge.dataCalls(), url).toBe(callsStart);
        expect(again.headers.get("etag"), url).toBe(miss.headers.get("etag"));
        expect(again.headers.get("x-request-id"), url).not.toBe(miss.headers.get("x-request-id"));
        expect(again.headers.get("ratelimit-remaining"), url).toBeNull();
        if (!url.includes("/tiles/")) expect(await again.text(), url).toBe(missBody);
      }
      expect(hits, url).toBe(1);
    }
  });

  it("answers 304 at the edge for a matching If-None-Match, with no trip", async () => {
    const city = unique("Edgetag");
    await insertProperties([{ city }]);
    const edge = taggedWorker();
    const url = `/api/v1/properties?city=${city}`;
    const first = await edge.call(url);
    const etag = first.headers.get("etag") as string;
    expect(first.headers.get("cache-control")).toBe("public, no-cache");
    const before = await edge.trips();
    const res = await edge.call(url, { headers: { "If-None-Match": etag } });
    if (res.headers.get("x-edge-cache") === "hit") expect(await edge.trips()).toEqual(before);
    expect(res.status).toBe(304);
    expect(res.headers.get("etag")).toBe(etag);
  });

  it("passes authenticated and no-cache requests through to the data plane", async () => {
    const city = unique("Edgepass");
    await insertProperties([{ city }]);
    const edge = taggedWorker();
    const url = `/api/v1/properties?city=${city}`;
    await edge.call(url);
    const fresh = await edge.call(url, { headers: { "Cache-Control": "no-cache" } });
    expect(fresh.headers.get("x-edge-cache")).toBe("bypass");
    expect(fresh.headers.get("ratelimit-limit")).not.toBeNull();
    const authed = await edge.call(url, { headers: { Authorization: await bearerFor("user") } });
    expect(authed.status).toBe(200);
    expect(authed.headers.get("x-edge-cache")).toBeNull();
    expect(authed.headers.get("ratelimit-limit")).not.toBeNull();
  });

  it("shows a write at once to the writer and in its own data centre, and elsewhere within fresh + stale seconds", async () => {
    // A 1 s fresh and 1 s stale window: the bound is 2 s (production: 10 + 20 s, pkg/edge/settings.ts).
    const edge = taggedWorker({ EDGE_CACHE_FRESH_SECONDS: "1", EDGE_CACHE_STALE_SECONDS: "1" });
    const city = unique("Edgefresh");
    const [first] = await insertProperties([{ city, listed_at: "2026-01-01T00:00:00Z" }]);
    const url = `/api/v1/properties?city=${city}&sort=-listed_at`;
    expect(await ids(await edge.call(url))).toEqual([first]);

    // Written elsewhere: this data centre's edge still answers the old list, the writer (with
    // credentials, past the edge) sees the new one at once.
    const second = await writeElsewhere(city, "2026-02-01T00:00:00Z");
    const writer = await bearerFor("service");
    expect(await ids(await edge.call(url, { headers: { Authorization: writer } }))).toEqual([second, first]);
    const cached = await edge.call(url);
    if (cached.headers.get("x-edge-cache") === "hit") expect(await ids(cached)).toEqual([first]);

    // Past the fresh second: the stale answer is served at once and refreshed behind it …
    await sleep(1_100);
    const stale = await edge.call(url);
    if (stale.headers.get("x-edge-cache") === "stale") expect(await ids(stale)).toEqual([first]);
    // … so the next reader, still within the 2 s bound, has the write.
    expect(await ids(await edge.call(url))).toEqual([second, first]);

    // Written here (through propertiesChanged, as every writer does): the next anonymous read has it.
    const [third] = await insertProperties([{ city, listed_at: "2026-03-01T00:00:00Z" }]);
    await propertiesChanged(testEnv, [{ id: third as string, outcome: "created" }]);
    expect(await ids(await edge.call(url))).toEqual([third, second, first]);
  });

  it("shows a write elsewhere to the next reader once the whole bound has passed", async () => {
    const edge = taggedWorker({ EDGE_CACHE_FRESH_SECONDS: "1", EDGE_CACHE_STALE_SECONDS: "1" });
    const city = unique("Edgebound");
    const [first] = await insertProperties([{ city, listed_at: "2026-01-01T00:00:00Z" }]);
    const url = `/api/v1/properties?city=${city}&sort=-listed_at`;
    expect(await ids(await edge.call(url))).toEqual([first]);
    const second = await writeElsewhere(city, "2026-02-01T00:00:00Z");
    await sleep(2_100);
    expect(await ids(await edge.call(url))).toEqual([second, first]);
  });
});
