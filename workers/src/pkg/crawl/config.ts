/**
 * Which connectors crawl which locations is configuration, not code: the `CRAWL_SCHEDULE` binding holds
 * a JSON array of jobs, read on every cron tick. Politeness settings and the Mill token come from
 * bindings too.
 */
import { z } from "zod";
import type { Env } from "../../env";

export const CrawlJobSchema = z.object({
  /** Connector name ("rightmove-co-uk", "schema-org", …). */
  connector: z.string().min(1),
  location: z.string().default(""),
  pages: z.number().int().min(1).max(50).default(2),
  /** Listings per page task at most. */
  max: z.number().int().min(1).max(500).default(50),
  /** Overrides the connector's site origin (mirrors, the test fixture site). */
  base_url: z.url().optional(),
  /** Per-site settings (the generic schema.org connector's site description). */
  settings: z.record(z.string(), z.unknown()).optional(),
});

export type CrawlJob = z.infer<typeof CrawlJobSchema>;

/** The schedule; a malformed binding is an error (the cron job fails loudly, it does not crawl nothing). */
export function crawlSchedule(env: Env): CrawlJob[] {
  const raw = env.CRAWL_SCHEDULE;
  if (raw === undefined || raw === null || raw === "") return [];
  const value = typeof raw === "string" ? JSON.parse(raw) : raw;
  return z.array(CrawlJobSchema).parse(value);
}

export type CrawlSettings = {
  contactUrl: string;
  allowHosts: string[];
  minDelayMs: number;
  backoffBaseMs: number;
};

export function crawlSettings(env: Env): CrawlSettings {
  const allow = typeof env.CRAWL_ALLOW_HOSTS === "string" ? env.CRAWL_ALLOW_HOSTS : "";
  const ms = (value: unknown, fallback: number) => {
    const n = Number(value);
    return value !== undefined && value !== "" && Number.isFinite(n) && n >= 0 ? n : fallback;
  };
  return {
    contactUrl:
      typeof env.CRAWL_CONTACT_URL === "string" && env.CRAWL_CONTACT_URL
        ? env.CRAWL_CONTACT_URL
        : "https://github.com/pillow/pillow/blob/main/docs/connectors.md",
    allowHosts: allow
      .split(",")
      .map((h) => h.trim().toLowerCase())
      .filter(Boolean),
    minDelayMs: ms(env.CRAWL_MIN_DELAY_MS, 2_000),
    backoffBaseMs: ms(env.CRAWL_BACKOFF_BASE_MS, 2_000),
  };
}
