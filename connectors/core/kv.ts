/**
 * Small key-value store for crawl state that must outlive one fetcher: robots.txt copies and per-host
 * pacing. In memory for the CLI and tests; Redis-backed inside the Worker, where one isolate's memory
 * is not shared with the next queue invocation.
 */
export interface CrawlStateStore {
  get<T>(key: string): Promise<T | null>;
  set<T>(key: string, value: T, ttlSeconds: number): Promise<void>;
}

export class MemoryStateStore implements CrawlStateStore {
  private readonly entries = new Map<string, { value: unknown; expires: number }>();
  constructor(private readonly now: () => number = Date.now) {}

  async get<T>(key: string): Promise<T | null> {
    const e = this.entries.get(key);
    if (!e) return null;
    if (e.expires <= this.now()) {
      this.entries.delete(key);
      return null;
    }
    return e.value as T;
  }

  async set<T>(key: string, value: T, ttlSeconds: number): Promise<void> {
    this.entries.set(key, { value, expires: this.now() + ttlSeconds * 1000 });
  }
}

/** The subset of `@upstash/redis` used here, so connectors do not import the Worker's client. */
export type RedisLike = {
  get<T>(key: string): Promise<T | null>;
  set(key: string, value: unknown, opts: { ex: number }): Promise<unknown>;
};

export class RedisStateStore implements CrawlStateStore {
  constructor(
    private readonly redis: RedisLike,
    private readonly prefix = "crawl:",
  ) {}

  async get<T>(key: string): Promise<T | null> {
    return (await this.redis.get<T>(this.prefix + key)) ?? null;
  }

  async set<T>(key: string, value: T, ttlSeconds: number): Promise<void> {
    await this.redis.set(this.prefix + key, value, { ex: Math.max(1, Math.ceil(ttlSeconds)) });
  }
}
