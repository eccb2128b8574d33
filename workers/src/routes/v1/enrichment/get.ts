import { z } from "@hono/zod-openapi";
import { enrichmentStats, failedByQueue, KEY_FIELDS } from "../../../pkg/enrichment";
import type { App } from "../../../pkg/hono/app";
import { apiRoute } from "../../../pkg/openapi/route";

const perField = z.object(
  Object.fromEntries(KEY_FIELDS.map((f) => [f, z.number()])) as Record<(typeof KEY_FIELDS)[number], z.ZodNumber>,
);

export const SourceStatsSchema = z
  .object({
    source: z.string(),
    active: z.number().int(),
    queued: z.number().int().openapi({ description: "Queued and not handled yet" }),
    done: z.number().int().openapi({ description: "Handled since they were last queued" }),
    failed: z.number().int().openapi({ description: "Dead letters in failed_enrichments, not resolved" }),
    layout_changed: z.number().int().openapi({
      description:
        "Crawl runs that fetched a page of a known kind and extracted no listing (the site changed its layout), not resolved",
    }),
    off_market_after_misses: z.number().int(),
    missing: perField.openapi({ description: "Active properties missing each key field" }),
    coverage: perField.openapi({ description: "Share of active properties having each key field (0–1)" }),
  })
  .openapi("EnrichmentSourceStats");

export const EnrichmentStatsResponseSchema = z
  .object({
    success: z.literal(true),
    data: z.object({
      sources: z.array(SourceStatsSchema),
      failed_by_queue: z.array(z.object({ queue: z.string(), failed: z.number().int() })).openapi({
        description:
          "Unresolved rows of failed_enrichments per queue, across all sources (not filtered by `source`): dead letters of property-enrichment, crawl and saved-search-matching, and the crawl's permanent failures",
      }),
    }),
  })
  .openapi("EnrichmentStatsResponse");

const route = apiRoute({
  access: "admin",
  tags: ["admin"],
  operationId: "admin.enrichment.get",
  method: "get",
  path: "/api/v1/admin/enrichment",
  summary: "Enrichment loop counts per source",
  description:
    "Queued, done and failed enrichment requests and missing-field coverage, per source, and the stored failures of every queue. Admin only.",
  request: {
    query: z.object({ source: z.string().min(1).max(100).optional().openapi({ description: "Only this source" }) }).strict(),
  },
  responses: {
    200: { description: "Counts per source", content: { "application/json": { schema: EnrichmentStatsResponseSchema } } },
  },
});

export function registerEnrichmentGet(app: App) {
  app.openapi(route, async (c) => {
    const { source } = c.req.valid("query");
    c.header("Cache-Control", "no-store");
    const [sources, failed] = await Promise.all([enrichmentStats(c.env, source), failedByQueue(c.env)]);
    return c.json({ success: true as const, data: { sources, failed_by_queue: failed } }, 200);
  });
}
