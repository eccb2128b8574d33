import { createRoute, z } from "@hono/zod-openapi";
import { requireRole } from "../../../pkg/auth";
import { ApiError, ErrorEnvelopeSchema, openApiErrorResponses } from "../../../pkg/errors";
import type { App } from "../../../pkg/hono/app";
import { allowBodyUpTo } from "../../../pkg/hono/body-limit";
import { idempotency } from "../../../pkg/idempotency";
import { ingestItems } from "../../../pkg/ingest";
import {
  FieldErrorSchema,
  IdempotencyHeaderSchema,
  IngestOutcomeSchema,
  IngestWarningSchema,
  MAX_BATCH_BODY_BYTES,
  MAX_BATCH_ITEMS,
} from "./ingest-shared";

/**
 * Items are checked one by one by the pipeline (a bad item fails alone), so the request schema only
 * requires an array; the documented item shape is `IngestItem`.
 */
export const IngestBatchRequestSchema = z
  .object({
    items: z
      .array(z.unknown())
      .min(1)
      .openapi({ type: "array", items: { $ref: "#/components/schemas/IngestItem" }, maxItems: MAX_BATCH_ITEMS }),
  })
  .openapi("IngestBatchRequest");

export const IngestBatchResultSchema = z
  .object({
    index: z.number().int().openapi({ description: "Position of the item in the request" }),
    outcome: IngestOutcomeSchema,
    id: z.uuid().optional(),
    errors: z.array(FieldErrorSchema).optional().openapi({ description: "Field-level errors of an invalid item" }),
    warnings: z.array(IngestWarningSchema).optional().openapi({
      description:
        "Near candidates the item was not merged into; coordinates dropped as outside the country; an implausible price",
    }),
  })
  .openapi("IngestBatchResult");

export const IngestBatchResponseSchema = z
  .object({
    success: z.literal(true),
    data: z.object({
      results: z.array(IngestBatchResultSchema),
      totals: z.object({
        received: z.number().int(),
        created: z.number().int(),
        merged: z.number().int(),
        unchanged: z.number().int(),
        invalid: z.number().int(),
      }),
    }),
  })
  .openapi("IngestBatchResponse");

const errorContent = (description: string) => ({ description, content: { "application/json": { schema: ErrorEnvelopeSchema } } });

const route = createRoute({
  tags: ["ingest"],
  operationId: "properties.batch",
  method: "post",
  path: "/api/v1/properties/batch",
  summary: "Ingest up to 500 listings",
  description:
    "Each item is validated on its own: invalid items are reported with field-level errors and the others are stored, in one transaction. Results are in input order.",
  middleware: [requireRole("service", "admin"), idempotency()] as const,
  request: {
    headers: IdempotencyHeaderSchema,
    body: { required: true, content: { "application/json": { schema: IngestBatchRequestSchema } } },
  },
  responses: {
    200: {
      description: "One result per item, and totals",
      content: { "application/json": { schema: IngestBatchResponseSchema } },
    },
    ...openApiErrorResponses,
    409: errorContent("A request with the same Idempotency-Key is still running."),
    413: errorContent(`More than ${MAX_BATCH_ITEMS} items, or a body over 5 MB.`),
    415: errorContent("The body is not JSON."),
    422: errorContent("The Idempotency-Key was used with a different body."),
  },
});

export function registerPropertiesBatch(app: App) {
  allowBodyUpTo(route.path, MAX_BATCH_BODY_BYTES);
  app.openapi(route, async (c) => {
    const { items } = c.req.valid("json");
    if (items.length > MAX_BATCH_ITEMS) {
      throw new ApiError("PAYLOAD_TOO_LARGE", `A batch holds at most ${MAX_BATCH_ITEMS} items; this one has ${items.length}.`);
    }
    const report = await ingestItems(c.env, items);
    return c.json({ success: true as const, data: report }, 200);
  });
}
