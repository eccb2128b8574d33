/**
 * Helpers for connector tests (inside workerd): a polite fetcher aimed at the fixture web server that
 * the global setup started, with fast pacing so tests stay quick. Fixture-based suites skip, with a
 * message, where ../shared/ is absent.
 */
import { describe, inject } from "vitest";
import type { ConnectorContext } from "./contract/connector";
import { type FetchEvent, PoliteFetcher, type PoliteFetcherOptions } from "./core/fetcher";
import { SavedPageFetcher } from "./core/saved-pages";

export const fixtures = inject("fixtures");

/** `describe` that skips (with a clear reason) when the shared saved pages and datasets are absent. */
export const describeWithFixtures: typeof describe = fixtures.available
  ? describe
  : (((name: string) => describe.skip(`${name} (skipped: ../shared/fixtures not present)`)) as unknown as typeof describe);

export function testFetcher(options: Partial<PoliteFetcherOptions> = {}, events?: FetchEvent[]): PoliteFetcher {
  return new PoliteFetcher({
    contactUrl: "https://pillow.example/bot",
    allowHosts: ["127.0.0.1"],
    minDelayMs: 5,
    backoffBaseMs: 20,
    timeoutMs: 5_000,
    onFetch: events ? (e) => events.push(e) : undefined,
    ...options,
  });
}

export function fixtureContext(path: string, settings?: Record<string, unknown>, fetcher = testFetcher()): ConnectorContext {
  return { fetcher, baseUrl: `${fixtures.urls.main}${path}`, settings };
}

/** A connector context that answers every request with one saved page, as saved-page mode does. */
export function savedPageContext(html: string, baseUrl: string): ConnectorContext {
  return { fetcher: new SavedPageFetcher(html), baseUrl };
}

/** The fixture server's request log, filtered to paths containing `contains`. */
export async function requestLog(contains: string): Promise<Array<{ listener: string; path: string; at: number; ua: string }>> {
  const res = await fetch(`${fixtures.urls.main}/__log?contains=${encodeURIComponent(contains)}`);
  return (await res.json()) as Array<{ listener: string; path: string; at: number; ua: string }>;
}
