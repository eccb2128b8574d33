import { z } from "@hono/zod-openapi";
import { enrichmentStats, KEY_FIELDS } from "../../../pkg/enrichment";
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
  .object({ success: z.literal(true), data: z.object({ sources: z.array(SourceStatsSchema) }) })
  .openapi("EnrichmentStatsResponse");

const route = apiRoute({
  access: "admin",
  tags: ["admin"],
  operationId: "admin.enrichment.get",
  method: "get",
  path: "/api/v1/admin/enrichment",
  summary: "Enrichment loop counts per source",
  description: "Queued, done and failed enrichment requests and missing-field coverage, per source. Admin only.",
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
    return c.json({ success: true as const, data: { sources: await enrichmentStats(c.env, source) } }, 200);
  });
}
