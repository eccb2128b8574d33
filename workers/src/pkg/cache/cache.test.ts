/**
 * Caching of the read API: Redis entries keyed by the normalised query and invalidated by the data
 * version, ETag/304 on every GET, and no errors when Redis is down.
 */
import { describe, expect, it } from "vitest";
import { call, callWithEnv, testEnv, unique } from "../../../test/helpers";
import { insertProperties } from "../../../test/property-rows";
import { propertiesChanged } from "../changes";

/** The cache entry is written after the response (waitUntil): the next requests see it once it lands. */
async function callUntilCached(url: string): Promise<Response> {
  for (let attempt = 0; ; attempt++) {
    const res = await call(url);
    if (res.headers.get("x-cache") === "hit" || attempt >= 20) return res;
    await res.arrayBuffer();
    await new Promise((r) => setTimeout(r, 25));
  }
}

const ids = async (res: Response) => ((await res.json()) as { data: Array<{ id: string }> }).data.map((d) => d.id);

describe("read caching", () => {
  it("serves a repeated search from Redis, and a write is visible to the next read", async () => {
    const city = unique("Cacheton");
    const [first] = await insertProperties([{ city, listed_at: "2026-01-01T00:00:00Z" }]);
    const url = `/api/v1/properties?city=${city}&limit=5`;
    const miss = await call(url);
    expect(miss.headers.get("x-cache")).toBe("miss");
    const missBody = await miss.text();
    expect(JSON.parse(missBody).data.map((d: { id: string }) => d.id)).toEqual([first]);
    // The same query in another parameter order is the same entry: the same bytes and the same ETag.
    const hit = await callUntilCached(`/api/v1/properties?limit=5&city=${city}`);
    expect(hit.headers.get("x-cache")).toBe("hit");
    expect(hit.headers.get("content-type")).toMatch(/^application\/json/);
    expect(hit.headers.get("etag")).toBe(miss.headers.get("etag"));
    expect(await hit.text()).toBe(missBody);

    const [second] = await insertProperties([{ city, listed_at: "2026-02-01T00:00:00Z" }]);
    await propertiesChanged(testEnv, [{ id: second as string, outcome: "created" }]);
    const after = await call(url);
    expect(after.headers.get("x-cache")).toBe("miss");
    expect(await ids(after)).toEqual([second, first]);
  });

  it.each([
    ["stats", (city: string) => `/api/v1/stats?city=${city}`],
    ["facets", (city: string) => `/api/v1/facets?fields=property_type&city=${city}`],
  ])("caches %s the same way", async (_, path) => {
    const city = unique("Cacheagg");
    await insertProperties([{ city }]);
    expect((await call(path(city))).headers.get("x-cache")).toBe("miss");
    expect((await callUntilCached(path(city))).headers.get("x-cache")).toBe("hit");
    await propertiesChanged(testEnv, [{ id: "00000000-0000-4000-8000-000000000000", outcome: "merged" }]);
    expect((await call(path(city))).headers.get("x-cache")).toBe("miss");
  });

  it("answers uncached, not with an error, when Redis is down", async () => {
    const city = unique("Nocache");
    const [id] = await insertProperties([{ city }]);
    for (const url of [
      `/api/v1/properties?city=${city}`,
      `/api/v1/stats?city=${city}`,
      `/api/v1/facets?fields=city&city=${city}`,
    ]) {
      const res = await callWithEnv(url, { UPSTASH_REDIS_REST_URL: "http://127.0.0.1:9" });
      expect(res.status, url).toBe(200);
      expect(res.headers.get("x-cache")).toBe("bypass");
    }
    const res = await callWithEnv(`/api/v1/properties?city=${city}`, { UPSTASH_REDIS_REST_URL: undefined });
    expect(res.status).toBe(200);
    expect(await ids(res)).toEqual([id]);
  });

  it("sends ETag and Cache-Control, and 304 for a matching If-None-Match", async () => {
    const city = unique("Etagville");
    const [id] = await insertProperties([{ city }]);
    for (const url of [`/api/v1/properties?city=${city}`, `/api/v1/properties/${id}`, `/api/v1/stats?city=${city}`]) {
      const res = await call(url);
      const etag = res.headers.get("etag");
      expect(etag, url).toMatch(/^"[0-9a-f]{32}"$/);
      expect(res.headers.get("cache-control")).toBe("public, no-cache");
      const again = await call(url, { headers: { "If-None-Match": etag as string } });
      expect(again.status, url).toBe(304);
      expect(await again.text()).toBe("");
      expect(again.headers.get("etag")).toBe(etag);
      const other = await call(url, { headers: { "If-None-Match": '"something-else"' } });
      expect(other.status).toBe(200);
    }
    // After a change the ETag changes, so the client gets the new body.
    const before = (await call(`/api/v1/properties?city=${city}`)).headers.get("etag");
    const [added] = await insertProperties([{ city, listed_at: "2026-09-09T00:00:00Z" }]);
    await propertiesChanged(testEnv, [{ id: added as string, outcome: "created" }]);
    const res = await call(`/api/v1/properties?city=${city}`, { headers: { "If-None-Match": before as string } });
    expect(res.status).toBe(200);
    expect(res.headers.get("etag")).not.toBe(before);
  });
});
