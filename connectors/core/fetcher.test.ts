/**
 * Politeness, measured on the fixture web server's request log: robots.txt rules (RFC 9309 status
 * handling), pacing that follows latency, backoff and Retry-After, timeouts, body limits, SSRF guard.
 */
import { describe, expect, it } from "vitest";
import { CrawlError } from "../contract/errors";
import { fixtures, requestLog, testFetcher } from "../test-support";
import { parseRetryAfter } from "./fetcher";
import { assertFetchableUrl } from "./ssrf";

const { main, robots404, robots500, robotsBlockPillow } = fixtures.urls;
const token = () => `t${crypto.randomUUID().slice(0, 8)}`;

async function failure(p: Promise<unknown>): Promise<CrawlError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(CrawlError);
    return err as CrawlError;
  }
  throw new Error("expected a CrawlError");
}

function gaps(log: Array<{ at: number }>): number[] {
  return log.slice(1).map((e, i) => e.at - (log[i] as { at: number }).at);
}

describe("robots.txt (RFC 9309)", () => {
  it("never fetches a disallowed path", async () => {
    const t = token();
    const err = await failure(testFetcher().get(`${main}/private/${t}/page`));
    expect(err.kind).toBe("robots_disallowed");
    expect(await requestLog(t)).toEqual([]);
  });

  it("treats a 5xx robots.txt as complete disallow", async () => {
    const t = token();
    const err = await failure(testFetcher().get(`${robots500}/slow/1/${t}`));
    expect(err.kind).toBe("robots_disallowed");
    expect(await requestLog(t)).toEqual([]);
  });

  it("treats a 4xx robots.txt as no restrictions", async () => {
    const t = token();
    const page = await testFetcher().get(`${robots404}/slow/1/${t}`);
    expect(page.status).toBe(200);
    expect(await requestLog(t)).toHaveLength(1);
  });

  it("obeys a group for our product token, and sends an identifying User-Agent", async () => {
    const t = token();
    expect((await failure(testFetcher().get(`${robotsBlockPillow}/slow/1/${t}`))).kind).toBe("robots_disallowed");
    await testFetcher().get(`${main}/slow/1/${t}`);
    const [entry] = await requestLog(t);
    expect(entry?.ua).toBe("PillowBot/1.0 (+https://pillow.example/bot)");
  });
});

describe("pacing and backoff", () => {
  it("keeps at least the minimum delay between requests to one host", async () => {
    const t = token();
    const f = testFetcher({ minDelayMs: 250 });
    for (let i = 0; i < 3; i++) await f.get(`${main}/slow/1/${t}/${i}`);
    const log = await requestLog(t);
    expect(log).toHaveLength(3);
    for (const gap of gaps(log)) expect(gap).toBeGreaterThanOrEqual(240);
  });

  it("slows down for a slow server (delay follows latency)", async () => {
    const t = token();
    const f = testFetcher({ minDelayMs: 5 });
    await f.get(`${main}/slow/400/${t}/a`);
    await f.get(`${main}/slow/1/${t}/b`);
    const log = await requestLog(t);
    // 400 ms answering + a delay of about the server's latency before the next request.
    expect(gaps(log)[0]).toBeGreaterThanOrEqual(750);
  });

  it("honours Retry-After on 429", async () => {
    const t = token();
    const page = await testFetcher().get(`${main}/flaky/${t}/429/1`);
    expect(page.text).toContain("recovered");
    const log = await requestLog(t);
    expect(log).toHaveLength(2);
    expect(gaps(log)[0]).toBeGreaterThanOrEqual(950);
  });

  it("caps Retry-After", async () => {
    const t = token();
    await testFetcher({ retryAfterCapMs: 150 }).get(`${main}/flaky/${t}/429/1`);
    const [gap] = gaps(await requestLog(t));
    expect(gap).toBeGreaterThanOrEqual(140);
    expect(gap).toBeLessThan(900);
  });

  it("backs off exponentially on 5xx, then gives up with a counted error", async () => {
    const t = token();
    // Jitter pinned to its maximum so the doubling is exact: 100 ms, then 200 ms.
    const page = await testFetcher({ backoffBaseMs: 100, random: () => 1 }).get(`${main}/flaky/${t}/503/2`);
    expect(page.status).toBe(200);
    const g = gaps(await requestLog(t));
    expect(g).toHaveLength(2);
    expect(g[0]).toBeGreaterThanOrEqual(95);
    expect(g[1]).toBeGreaterThanOrEqual(195);

    const t2 = token();
    const err = await failure(testFetcher({ maxRetries: 2, backoffBaseMs: 10 }).get(`${main}/always503/${t2}`));
    expect(err).toMatchObject({ kind: "http_5xx", status: 503 });
    expect(await requestLog(t2)).toHaveLength(3);
  });

  it("times out and limits body size", async () => {
    const t = token();
    expect((await failure(testFetcher({ timeoutMs: 200, maxRetries: 0 }).get(`${main}/slow/3000/${t}`))).kind).toBe("timeout");
    expect((await failure(testFetcher({ maxBodyBytes: 1024 * 1024 }).get(`${main}/huge/${t}`))).kind).toBe("too_large");
  });
});

describe("SSRF guard", () => {
  it("refuses private, loopback and non-http URLs unless the host is allowed by configuration", async () => {
    const t = token();
    const strict = testFetcher({ allowHosts: [] });
    expect((await failure(strict.get(`${main}/slow/1/${t}`))).kind).toBe("unsafe_url");
    expect(await requestLog(t)).toEqual([]);
    expect((await failure(testFetcher().get(`${main}/redirect-to-private/${t}`))).kind).toBe("unsafe_url");
    for (const bad of [
      "file:///etc/passwd",
      "http://localhost/",
      "http://127.0.0.1/",
      "http://10.1.2.3/",
      "http://172.20.0.1/",
      "http://192.168.1.1/",
      "http://169.254.169.254/latest/meta-data",
      "http://[::1]/",
      "http://[::ffff:127.0.0.1]/",
      "http://[fd00::1]/",
      "http://user:pw@example.com/",
      "http://2130706433/",
      "http://metadata.internal/",
      "gopher://example.com/",
    ]) {
      expect(() => assertFetchableUrl(bad), bad).toThrow();
    }
    expect(assertFetchableUrl("https://www.rightmove.co.uk/properties/1").host).toBe("www.rightmove.co.uk");
    expect(assertFetchableUrl("http://127.0.0.1:9/x", ["127.0.0.1"]).port).toBe("9");
  });
});

describe("Retry-After parsing", () => {
  it("reads seconds and HTTP dates", () => {
    expect(parseRetryAfter("3", 0)).toBe(3000);
    expect(parseRetryAfter("Wed, 25 Nov 2026 12:00:10 GMT", Date.parse("2026-11-25T12:00:00Z"))).toBe(10_000);
    expect(parseRetryAfter("soon", 0)).toBeNull();
  });
});
