/** A connector's health: can it still read the first search page of its example location? */
import type { Connector, ConnectorContext, HealthResult } from "../contract/connector";
import { asCrawlError, type CrawlErrorKind } from "../contract/errors";

export async function checkHealth(
  connector: Connector,
  ctx: ConnectorContext,
  location = connector.exampleLocation,
): Promise<HealthResult & { listings: number; kind?: CrawlErrorKind }> {
  const started = Date.now();
  try {
    const page = await connector.searchPage(ctx, location, 1);
    const n = page.listings.length;
    return {
      ok: n > 0,
      listings: n,
      ms: Date.now() - started,
      message: n > 0 ? "ok" : "no listings on the first search page (blocked or changed?)",
      ...(n > 0 ? {} : { kind: "layout_changed" as const }),
    };
  } catch (err) {
    const e = asCrawlError(err, `${connector.name}:${location}`);
    return { ok: false, listings: 0, ms: Date.now() - started, message: e.message, kind: e.kind };
  }
}
