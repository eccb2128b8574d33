/**
 * robots.txt per RFC 9309: a 2xx body is parsed (first 500 KiB); 4xx means "no restrictions"; 5xx or a
 * network error means "assume complete disallow". Copies are cached for at most 24 h (errors for
 * 10 minutes, so a recovering site is rechecked soon).
 */
import robotsParser from "robots-parser";
import type { CrawlStateStore } from "./kv";

export const ROBOTS_MAX_BYTES = 500 * 1024;
const ERROR_TTL_SECONDS = 600;

export type RobotsRecord = { kind: "rules"; body: string } | { kind: "allow_all" } | { kind: "disallow_all"; reason: string };

export type RobotsFetch = (url: string) => Promise<{ status: number; body: string }>;

export class RobotsPolicy {
  private readonly memo = new Map<string, Promise<RobotsRecord>>();

  constructor(
    private readonly store: CrawlStateStore,
    private readonly fetchRobots: RobotsFetch,
    private readonly userAgentToken: string,
    private readonly ttlSeconds = 86_400,
  ) {}

  /** The record for `origin`, from this fetcher's memo, the shared store, or the site. */
  record(origin: string): Promise<RobotsRecord> {
    let pending = this.memo.get(origin);
    if (!pending) {
      pending = this.load(origin);
      this.memo.set(origin, pending);
    }
    return pending;
  }

  async isAllowed(url: URL): Promise<boolean> {
    const rec = await this.record(url.origin);
    if (rec.kind === "allow_all") return true;
    if (rec.kind === "disallow_all") return false;
    return robotsParser(`${url.origin}/robots.txt`, rec.body).isAllowed(url.href, this.userAgentToken) !== false;
  }

  /** Crawl-delay in seconds when the site asks for one (non-standard, but cheap to honour). */
  async crawlDelaySeconds(origin: string): Promise<number | undefined> {
    const rec = await this.record(origin);
    if (rec.kind !== "rules") return undefined;
    return robotsParser(`${origin}/robots.txt`, rec.body).getCrawlDelay(this.userAgentToken);
  }

  private async load(origin: string): Promise<RobotsRecord> {
    const key = `robots:${origin}`;
    const cached = await this.store.get<RobotsRecord>(key);
    if (cached) return cached;
    let rec: RobotsRecord;
    let ttl = this.ttlSeconds;
    try {
      const res = await this.fetchRobots(`${origin}/robots.txt`);
      if (res.status >= 200 && res.status < 300) rec = { kind: "rules", body: res.body.slice(0, ROBOTS_MAX_BYTES) };
      else if (res.status >= 400 && res.status < 500) rec = { kind: "allow_all" };
      else {
        rec = { kind: "disallow_all", reason: `robots.txt answered ${res.status}` };
        ttl = ERROR_TTL_SECONDS;
      }
    } catch (err) {
      rec = { kind: "disallow_all", reason: `robots.txt unreachable: ${err instanceof Error ? err.message : String(err)}` };
      ttl = ERROR_TTL_SECONDS;
    }
    await this.store.set(key, rec, Math.min(ttl, this.ttlSeconds));
    return rec;
  }
}
