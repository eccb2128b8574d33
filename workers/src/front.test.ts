/**
 * The front Worker (front.ts) with its real `DATA` service binding to the data Worker (index.ts), as
 * wrangler.front.toml declares it (vitest.config.ts binds `DATA` to the Worker under test): a miss crosses
 * the binding once and is answered by the data Worker; a hit does not cross it; writes pass through.
 */
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { bearerFor, testEnv, unique } from "../test/helpers";
import { sampleItem, serviceBearer } from "../test/listings";
import { insertProperties } from "../test/property-rows";
import front, { type FrontEnv } from "./front";
import { wrotePropertiesThrough } from "./pkg/edge/writes";

/** The front Worker with the test bindings, its `DATA` binding counted on the way through. */
function frontWorker() {
  const binding = (testEnv as unknown as { DATA: Fetcher }).DATA;
  const crossings: string[] = [];
  const DATA = {
    fetch: (input: RequestInfo | URL, init?: RequestInit) => {
      crossings.push(input instanceof Request ? input.url : String(input));
      return binding.fetch(input, init);
    },
  } as Fetcher;
  const env: FrontEnv = { EDGE_RATE_LIMITER: testEnv.EDGE_RATE_LIMITER as RateLimit, DATA };
  return {
    crossings,
    async call(path: string, init?: RequestInit): Promise<Response> {
      const ctx = createExecutionContext();
      const res = await front.fetch(new Request(new URL(path, "http://pillow.test"), init), env, ctx);
      const body = await res.arrayBuffer();
      await waitOnExecutionContext(ctx);
      return new Response(res.status === 304 ? null : body, res);
    },
  };
}

describe("front Worker", () => {
  it("sends a cache miss to the data Worker over the service binding, once, and answers the repeat itself", async () => {
    const city = unique("Fronton");
    const [id] = await insertProperties([{ city }]);
    const worker = frontWorker();
    const url = `/api/v1/properties?city=${city}`;
    const miss = await worker.call(url);
    expect(miss.status).toBe(200);
    expect(miss.headers.get("x-edge-cache")).toBe("miss");
    // Answered by the data Worker's API: its rate limit headers and the property.
    expect(miss.headers.get("ratelimit-limit")).not.toBeNull();
    expect(((await miss.json()) as { data: Array<{ id: string }> }).data.map((d) => d.id)).toEqual([id]);
    expect(worker.crossings).toEqual([`http://pillow.test${url}`]);

    const hit = await worker.call(url);
    if (hit.headers.get("x-edge-cache") === "hit") expect(worker.crossings).toHaveLength(1);
    else expect(hit.headers.get("x-edge-cache")).toBe("miss"); // another file's write ended the entry
    expect(hit.status).toBe(200);
  });

  it("passes authenticated reads, other routes and writes through to the data Worker", async () => {
    const worker = frontWorker();
    const health = await worker.call("/api/v1/health");
    expect(health.status).toBe(200);
    expect(health.headers.get("x-edge-cache")).toBeNull();
    const authed = await worker.call("/api/v1/tokens", { headers: { Authorization: await bearerFor("user") } });
    expect(authed.status).toBe(200);

    const city = unique("Frontwrite");
    const url = `/api/v1/properties?city=${encodeURIComponent(city)}`;
    const before = (await (await worker.call(url)).json()) as { data: unknown[] };
    expect(before.data).toEqual([]);
    const created = await worker.call("/api/v1/properties", {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: await serviceBearer() },
      body: JSON.stringify(sampleItem({ address: { ...sampleItem().address, city } })),
    });
    expect(created.status, await created.clone().text()).toBeLessThan(300);
    expect(worker.crossings.filter((u) => u.endsWith("/api/v1/properties"))).toHaveLength(1);
    // The write ended this data centre's edge entries: the next anonymous read has it.
    const after = await worker.call(url);
    expect(after.headers.get("x-edge-cache")).toBe("miss");
    expect(((await after.json()) as { data: unknown[] }).data).toHaveLength(1);
  });

  it("ends its own data centre's entries only after a property write succeeded", () => {
    const ok = new Response("{}", { status: 201 });
    const at = (method: string, path: string) => new Request(`https://pillow.example${path}`, { method });
    expect(wrotePropertiesThrough(at("POST", "/api/v1/properties"), ok)).toBe(true);
    expect(wrotePropertiesThrough(at("POST", "/api/v1/properties/batch"), ok)).toBe(true);
    expect(wrotePropertiesThrough(at("DELETE", "/api/v1/properties/abc"), ok)).toBe(true);
    expect(wrotePropertiesThrough(at("POST", "/api/v1/properties"), new Response("{}", { status: 422 }))).toBe(false);
    expect(wrotePropertiesThrough(at("GET", "/api/v1/properties"), ok)).toBe(false);
    expect(wrotePropertiesThrough(at("POST", "/api/v1/auth/login"), ok)).toBe(false);
  });
});
