/**
 * The polite fetcher every in-Worker scrape uses (crawl consumer and enrichment re-scrapes), built from
 * the bindings. Its own module so the enrichment dispatcher can use it without importing the app.
 */
import { PoliteFetcher } from "../../../../connectors/core/fetcher";
import { RedisStateStore } from "../../../../connectors/core/kv";
import type { Env } from "../../env";
import { getRedis } from "../redis";
import { crawlSettings } from "./config";

export function crawlFetcher(env: Env): PoliteFetcher {
  const settings = crawlSettings(env);
  let store: RedisStateStore | undefined;
  try {
    store = new RedisStateStore(getRedis(env));
  } catch {
    store = undefined; // no Redis: per-invocation memory only
  }
  return new PoliteFetcher({
    contactUrl: settings.contactUrl,
    allowHosts: settings.allowHosts,
    minDelayMs: settings.minDelayMs,
    backoffBaseMs: settings.backoffBaseMs,
    store,
  });
}
