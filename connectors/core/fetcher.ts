/**
 * The only way connectors reach the web. Every request:
 * - passes the SSRF guard (each redirect hop too) and robots.txt (RFC 9309, see robots.ts);
 * - waits for its host's pacing slot: the delay between requests to one host follows the server's
 *   latency (AutoThrottle-style: a slow server gets fewer requests), never below the configured minimum
 *   or the site's Crawl-delay, and doubles after 429/5xx until the host answers well again;
 * - retries 429/5xx/timeouts with exponential backoff and jitter, honouring Retry-After up to a cap;
 * - has a timeout and a maximum body size, and identifies the crawler with a contact URL.
 */
import type { FetchedPage } from "../contract/connector";
import { CrawlError } from "../contract/errors";
import { type CrawlStateStore, MemoryStateStore } from "./kv";
import { RobotsPolicy } from "./robots";
import { assertFetchableUrl, UnsafeUrlError } from "./ssrf";

export type { FetchedPage };

export type FetchEvent = { url: string; status: number | null; ms: number; attempt: number; error?: string };

export type PoliteFetcherOptions = {
  /** Product token used in the User-Agent and matched against robots.txt groups. */
  agentToken?: string;
  /** Where site owners can read about the crawler and reach its operators. */
  contactUrl: string;
  fetch?: typeof fetch;
  store?: CrawlStateStore;
  /** Hosts exempt from the SSRF guard (tests' fixture server only; configured by a binding). */
  allowHosts?: readonly string[];
  minDelayMs?: number;
  maxDelayMs?: number;
  timeoutMs?: number;
  maxBodyBytes?: number;
  maxRetries?: number;
  backoffBaseMs?: number;
  retryAfterCapMs?: number;
  robotsTtlSeconds?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  random?: () => number;
  onFetch?: (event: FetchEvent) => void;
};

type Pace = { nextAt: number; delayMs: number; latencyMs: number };

const MAX_REDIRECTS = 5;

export class PoliteFetcher {
  readonly userAgent: string;
  readonly agentToken: string;
  /** Requests actually sent (robots.txt included), for run stats. */
  requests = 0;
  private readonly options: Required<Omit<PoliteFetcherOptions, "onFetch" | "allowHosts" | "fetch">> & {
    allowHosts: readonly string[];
  };
  private readonly doFetch: typeof fetch;
  private readonly robots: RobotsPolicy;
  private readonly hostLocks = new Map<string, Promise<unknown>>();

  constructor(private readonly init: PoliteFetcherOptions) {
    this.agentToken = init.agentToken ?? "PillowBot";
    this.userAgent = `${this.agentToken}/1.0 (+${init.contactUrl})`;
    this.options = {
      agentToken: this.agentToken,
      contactUrl: init.contactUrl,
      store: init.store ?? new MemoryStateStore(),
      allowHosts: init.allowHosts ?? [],
      minDelayMs: init.minDelayMs ?? 2_000,
      maxDelayMs: init.maxDelayMs ?? 60_000,
      timeoutMs: init.timeoutMs ?? 20_000,
      maxBodyBytes: init.maxBodyBytes ?? 8 * 1024 * 1024,
      maxRetries: init.maxRetries ?? 3,
      backoffBaseMs: init.backoffBaseMs ?? 2_000,
      retryAfterCapMs: init.retryAfterCapMs ?? 60_000,
      robotsTtlSeconds: Math.min(init.robotsTtlSeconds ?? 86_400, 86_400),
      sleep: init.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms))),
      now: init.now ?? Date.now,
      random: init.random ?? Math.random,
    };
    this.doFetch = init.fetch ?? ((input, requestInit) => fetch(input, requestInit));
    this.robots = new RobotsPolicy(
      this.options.store,
      async (robotsUrl) => {
        // RFC 9309 §2.3.1.2: follow at least five redirects.
        let url = robotsUrl;
        for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
          const res = await this.send(this.guard(url).href, "text/plain", 0);
          if (!(res.status >= 300 && res.status < 400 && res.location)) return { status: res.status, body: res.text };
          url = new URL(res.location, url).href;
        }
        return { status: 500, body: "" };
      },
      this.agentToken,
      this.options.robotsTtlSeconds,
    );
  }

  /** Fetches a page as text, politely. Throws CrawlError (never anything else). */
  async get(rawUrl: string, accept = "text/html,application/xhtml+xml,application/json;q=0.9,*/*;q=0.8"): Promise<FetchedPage> {
    let url = this.guard(rawUrl);
    for (let hop = 0; ; hop++) {
      if (!(await this.robots.isAllowed(url))) {
        throw new CrawlError("robots_disallowed", url.href, `robots.txt of ${url.host} disallows ${url.pathname}`);
      }
      const page = await this.withRetries(url.href, accept);
      if (page.status >= 300 && page.status < 400 && page.location) {
        if (hop >= MAX_REDIRECTS) throw new CrawlError("http_4xx", url.href, "too many redirects", page.status);
        url = this.guard(new URL(page.location, url).href);
        continue;
      }
      if (page.status >= 400) {
        throw new CrawlError(page.status >= 500 ? "http_5xx" : "http_4xx", url.href, `HTTP ${page.status}`, page.status);
      }
      return { url: url.href, status: page.status, contentType: page.contentType, text: page.text };
    }
  }

  async getJson<T = unknown>(url: string): Promise<T> {
    const page = await this.get(url, "application/json");
    try {
      return JSON.parse(page.text) as T;
    } catch (err) {
      throw new CrawlError("parse", page.url, `invalid JSON: ${(err as Error).message}`);
    }
  }

  private guard(raw: string): URL {
    try {
      return assertFetchableUrl(raw, this.options.allowHosts);
    } catch (err) {
      throw new CrawlError("unsafe_url", raw, err instanceof UnsafeUrlError ? err.message : String(err));
    }
  }

  private async withRetries(url: string, accept: string) {
    const { maxRetries, retryAfterCapMs, maxDelayMs } = this.options;
    for (let attempt = 0; ; attempt++) {
      let res: Awaited<ReturnType<PoliteFetcher["send"]>>;
      try {
        res = await this.send(url, accept, attempt);
      } catch (err) {
        const e = err as CrawlError;
        if (!e.transient || attempt >= maxRetries) throw e;
        await this.pushBack(url, this.backoff(attempt));
        continue;
      }
      const retryable = res.status === 429 || res.status >= 500;
      if (!retryable) return res;
      if (attempt >= maxRetries) {
        throw new CrawlError(
          res.status === 429 ? "rate_limited" : "http_5xx",
          url,
          `HTTP ${res.status} after ${attempt + 1} attempts`,
          res.status,
        );
      }
      const retryAfter = parseRetryAfter(res.retryAfter, this.options.now());
      const wait = retryAfter !== null ? Math.min(retryAfter, retryAfterCapMs) : Math.min(this.backoff(attempt), maxDelayMs);
      await this.pushBack(url, wait);
    }
  }

  /** Exponential backoff with "equal jitter": half fixed, half random. */
  private backoff(attempt: number): number {
    const d = this.options.backoffBaseMs * 2 ** attempt;
    return d / 2 + (this.options.random() * d) / 2;
  }

  /** Moves the host's next slot at least `ms` into the future (backoff / Retry-After). */
  private async pushBack(url: string, ms: number): Promise<void> {
    const host = new URL(url).host;
    const pace = await this.pace(host);
    pace.nextAt = Math.max(pace.nextAt, this.options.now() + ms);
    pace.delayMs = Math.min(this.options.maxDelayMs, Math.max(pace.delayMs * 2, this.options.minDelayMs));
    await this.options.store.set(`pace:${host}`, pace, 3600);
  }

  private async pace(host: string): Promise<Pace> {
    return (await this.options.store.get<Pace>(`pace:${host}`)) ?? { nextAt: 0, delayMs: this.options.minDelayMs, latencyMs: 0 };
  }

  /** One HTTP exchange in the host's pacing slot. Requests to one host are serialised. */
  private send(url: string, accept: string, attempt: number) {
    const host = new URL(url).host;
    const previous = this.hostLocks.get(host) ?? Promise.resolve();
    const run = previous.catch(() => {}).then(() => this.sendNow(url, accept, attempt, host));
    this.hostLocks.set(
      host,
      run.catch(() => {}),
    );
    return run;
  }

  private async sendNow(url: string, accept: string, attempt: number, host: string) {
    const { now, sleep, minDelayMs, maxDelayMs, timeoutMs, store } = this.options;
    const pace = await this.pace(host);
    const wait = pace.nextAt - now();
    if (wait > 0) await sleep(wait);
    const started = now();
    this.requests++;
    let status: number | null = null;
    try {
      const res = await this.doFetch(url, {
        method: "GET",
        redirect: "manual",
        headers: { "User-Agent": this.userAgent, Accept: accept, "Accept-Language": "en" },
        signal: AbortSignal.timeout(timeoutMs),
      });
      status = res.status;
      const text = await this.readBody(url, res);
      return {
        status: res.status,
        text,
        contentType: res.headers.get("content-type") ?? "",
        location: res.headers.get("location"),
        retryAfter: res.headers.get("retry-after"),
      };
    } catch (err) {
      if (err instanceof CrawlError) throw err;
      const name = (err as Error)?.name;
      const kind = name === "TimeoutError" || name === "AbortError" ? "timeout" : "network";
      throw new CrawlError(kind, url, `${kind === "timeout" ? `no answer within ${timeoutMs} ms` : (err as Error)?.message}`);
    } finally {
      const latency = now() - started;
      this.init.onFetch?.({ url, status, ms: latency, attempt });
      // Adapt: wait at least as long as the server took (latest and smoothed), double on trouble, and
      // relax by halves once it answers well again.
      const smoothed = pace.latencyMs ? pace.latencyMs * 0.7 + latency * 0.3 : latency;
      const crawlDelay = ((await this.robotsDelayIfKnown(url)) ?? 0) * 1000;
      const troubled = status === null || status === 429 || status >= 500;
      const delay = troubled
        ? Math.min(maxDelayMs, Math.max(pace.delayMs * 2, minDelayMs))
        : Math.min(maxDelayMs, Math.max(minDelayMs, crawlDelay, latency, smoothed, pace.delayMs / 2));
      const next: Pace = { nextAt: now() + delay, delayMs: delay, latencyMs: smoothed };
      await store.set(`pace:${host}`, next, 3600);
    }
  }

  private async robotsDelayIfKnown(url: string): Promise<number | undefined> {
    const u = new URL(url);
    if (u.pathname === "/robots.txt") return undefined;
    const d = await this.robots.crawlDelaySeconds(u.origin).catch(() => undefined);
    return d === undefined ? undefined : Math.min(d, 60);
  }

  private async readBody(url: string, res: Response): Promise<string> {
    const max = this.options.maxBodyBytes;
    const declared = Number(res.headers.get("content-length") ?? "");
    if (declared > max) {
      await res.body?.cancel();
      throw new CrawlError("too_large", url, `body of ${declared} bytes exceeds ${max}`, res.status);
    }
    if (!res.body) return "";
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    let size = 0;
    let text = "";
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > max) {
        await reader.cancel();
        throw new CrawlError("too_large", url, `body exceeds ${max} bytes`, res.status);
      }
      text += decoder.decode(value, { stream: true });
    }
    return text + decoder.decode();
  }
}

/** Retry-After as milliseconds from now: delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now: number): number | null {
  if (!value) return null;
  const s = value.trim();
  if (/^\d+$/.test(s)) return Number(s) * 1000;
  const at = Date.parse(s);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}
