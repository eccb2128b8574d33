/**
 * Submits items to the Mill's batch endpoint (`POST /api/v1/properties/batch`, service role) with the
 * connector's token, in batches of at most 500, retrying 429/5xx with backoff: how the CLI and the
 * dataset importers submit (inside the Worker, the crawl consumer calls the ingest pipeline directly).
 */
import type { IngestItem } from "../contract/item";

export const MAX_BATCH = 500;

export type Outcome = "created" | "merged" | "unchanged" | "invalid";
export type ItemResult = { index: number; outcome: Outcome; id?: string; reason?: string };
export type SubmitSummary = Record<Outcome, number> & { results: ItemResult[] };

export type MillClientOptions = {
  /** Origin of the Mill, e.g. http://127.0.0.1:8787. */
  baseUrl: string;
  token: string;
  fetch?: (request: Request) => Promise<Response>;
  batchSize?: number;
  maxRetries?: number;
  backoffBaseMs?: number;
  sleep?: (ms: number) => Promise<void>;
};

export class MillSubmitError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = "MillSubmitError";
  }
}

export function emptySummary(): SubmitSummary {
  return { created: 0, merged: 0, unchanged: 0, invalid: 0, results: [] };
}

export class MillClient {
  private readonly doFetch: (request: Request) => Promise<Response>;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: MillClientOptions) {
    this.doFetch = options.fetch ?? ((r) => fetch(r));
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  /** Submits all items in order (batches are sequential, so repeat sales keep their date order). */
  async submit(items: readonly IngestItem[]): Promise<SubmitSummary> {
    const size = Math.min(this.options.batchSize ?? MAX_BATCH, MAX_BATCH);
    const summary = emptySummary();
    for (let offset = 0; offset < items.length; offset += size) {
      const batch = items.slice(offset, offset + size);
      const results = await this.submitBatch(batch);
      for (const r of results) {
        summary[r.outcome]++;
        summary.results.push({ ...r, index: r.index + offset });
      }
    }
    return summary;
  }

  async submitBatch(items: readonly IngestItem[]): Promise<ItemResult[]> {
    const maxRetries = this.options.maxRetries ?? 4;
    const base = this.options.backoffBaseMs ?? 1000;
    const url = new URL("/api/v1/properties/batch", this.options.baseUrl).href;
    for (let attempt = 0; ; attempt++) {
      let res: Response;
      try {
        res = await this.doFetch(
          new Request(url, {
            method: "POST",
            headers: { "content-type": "application/json", authorization: `Bearer ${this.options.token}` },
            body: JSON.stringify({ items }),
          }),
        );
      } catch (err) {
        if (attempt >= maxRetries) throw new MillSubmitError(`batch submit failed: ${(err as Error).message}`);
        await this.sleep(base * 2 ** attempt * (0.5 + Math.random() / 2));
        continue;
      }
      if (res.status === 429 || res.status >= 500) {
        const body = await res.text();
        if (attempt >= maxRetries)
          throw new MillSubmitError(`batch submit: HTTP ${res.status}: ${body.slice(0, 300)}`, res.status);
        const retryAfter = Number(res.headers.get("retry-after"));
        await this.sleep(retryAfter > 0 ? Math.min(retryAfter * 1000, 60_000) : base * 2 ** attempt * (0.5 + Math.random() / 2));
        continue;
      }
      const body = (await res.json().catch(() => null)) as {
        success?: boolean;
        data?: unknown;
        error?: { message?: string };
      } | null;
      if (!res.ok || !body?.success) {
        throw new MillSubmitError(`batch submit: HTTP ${res.status}: ${body?.error?.message ?? "unexpected answer"}`, res.status);
      }
      return readResults(body.data, items.length);
    }
  }
}

/** Per-item outcomes from the batch answer (`data.results[]` with `outcome` or `status`). */
function readResults(data: unknown, count: number): ItemResult[] {
  const d = data as { results?: unknown[]; items?: unknown[] } | unknown[];
  const list = (Array.isArray(d) ? d : (d?.results ?? d?.items ?? [])) as Array<Record<string, unknown>>;
  const results = list.map((r, i) => {
    const outcome = String(r.outcome ?? r.status ?? r.result ?? "invalid") as Outcome;
    const errors = r.errors ?? r.error ?? r.reason;
    return {
      index: typeof r.index === "number" ? r.index : i,
      outcome: (["created", "merged", "unchanged", "invalid"].includes(outcome) ? outcome : "invalid") as Outcome,
      id: typeof r.id === "string" ? r.id : typeof r.property_id === "string" ? r.property_id : undefined,
      reason: errors === undefined ? undefined : typeof errors === "string" ? errors : JSON.stringify(errors),
    };
  });
  if (results.length !== count) throw new MillSubmitError(`batch answer has ${results.length} results for ${count} items`);
  return results;
}
