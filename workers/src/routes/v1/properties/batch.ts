import { z } from "@hono/zod-openapi";
import type { Env } from "../../../env";
import { type SourceGrant, sourceGrant } from "../../../pkg/auth";
import { ApiError } from "../../../pkg/errors";
import type { App } from "../../../pkg/hono/app";
import { allowBodyUpTo } from "../../../pkg/hono/body-limit";
import { idempotency } from "../../../pkg/idempotency";
import { ingestItems } from "../../../pkg/ingest";
import { apiRoute } from "../../../pkg/openapi/route";
import {
  FieldErrorSchema,
  IdempotencyHeaderSchema,
  IngestOutcomeSchema,
  IngestWarningSchema,
  MAX_BATCH_BODY_BYTES,
  MAX_BATCH_ITEMS,
} from "./ingest-shared";
import { foreignSource, foreignSourceMessage } from "./source-check";

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
    outcome: z.union([IngestOutcomeSchema, z.literal("forbidden")]).openapi({
      description:
        "created: a new property; merged: folded into an existing one; unchanged: nothing new; invalid: rejected; forbidden: the token may not ingest under the item's source",
    }),
    status: z.literal(403).optional().openapi({ description: "403 when the item is forbidden (as if sent alone)" }),
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
        forbidden: z
          .number()
          .int()
          .optional()
          .openapi({ description: "Items refused for their source (only when there are any)" }),
      }),
    }),
  })
  .openapi("IngestBatchResponse");

const route = apiRoute({
  access: "service",
  tags: ["ingest"],
  operationId: "properties.batch",
  method: "post",
  path: "/api/v1/properties/batch",
  summary: "Ingest up to 500 listings",
  description:
    "Each item is validated on its own: invalid items are reported with field-level errors and the others are stored, in one transaction. " +
    "Items under a source the service token was not minted for are refused alone (`outcome: forbidden`, `status: 403`). Results are in input order.",
  middleware: [idempotency()] as const,
  request: {
    headers: IdempotencyHeaderSchema,
    body: { required: true, content: { "application/json": { schema: IngestBatchRequestSchema } } },
  },
  errors: {
    409: "A request with the same Idempotency-Key is still running.",
    413: `More than ${MAX_BATCH_ITEMS} items, or a body over 5 MB.`,
    415: "The body is not JSON.",
    422: "The Idempotency-Key was used with a different body.",
  },
  responses: {
    200: {
      description: "One result per item, and totals",
      content: { "application/json": { schema: IngestBatchResponseSchema } },
    },
  },
});

type BatchResult = z.infer<typeof IngestBatchResultSchema>;

/**
 * Items under a source the caller may not write under get a 403 result of their own; the others go
 * through the pipeline together, and their results are put back at their positions.
 */
async function ingestWithinGrant(env: Env, grant: SourceGrant, items: unknown[]) {
  const refused: BatchResult[] = [];
  const allowed: number[] = [];
  items.forEach((item, index) => {
    const foreign = foreignSource(grant, item);
    if (foreign === undefined) allowed.push(index);
    else
      refused.push({
        index,
        outcome: "forbidden",
        status: 403,
        errors: [{ path: "source", message: foreignSourceMessage(foreign) }],
      });
  });
  if (refused.length === 0) return ingestItems(env, items);
  const report =
    allowed.length > 0
      ? await ingestItems(
          env,
          allowed.map((i) => items[i]),
        )
      : { results: [], totals: { received: 0, created: 0, merged: 0, unchanged: 0, invalid: 0 } };
  const results: BatchResult[] = [...report.results.map((r) => ({ ...r, index: allowed[r.index]! })), ...refused];
  results.sort((a, b) => a.index - b.index);
  return { results, totals: { ...report.totals, received: items.length, forbidden: refused.length } };
}

export function registerPropertiesBatch(app: App) {
  allowBodyUpTo(route.path, MAX_BATCH_BODY_BYTES);
  app.openapi(route, async (c) => {
    const { items } = c.req.valid("json");
    if (items.length > MAX_BATCH_ITEMS) {
      throw new ApiError("PAYLOAD_TOO_LARGE", `A batch holds at most ${MAX_BATCH_ITEMS} items; this one has ${items.length}.`);
    }
    return c.json({ success: true as const, data: await ingestWithinGrant(c.env, sourceGrant(c.get("identity")), items) }, 200);
  });
}
