import { createRoute, z } from "@hono/zod-openapi";
import { requireRole } from "../../../pkg/auth";
import { ApiError, ErrorEnvelopeSchema, openApiErrorResponses } from "../../../pkg/errors";
import type { App } from "../../../pkg/hono/app";
import { allowBodyUpTo } from "../../../pkg/hono/body-limit";
import { idempotency } from "../../../pkg/idempotency";
import { IngestItemSchema, ingestItems } from "../../../pkg/ingest";
import { IdempotencyHeaderSchema, IngestWarningSchema, MAX_ITEM_BODY_BYTES } from "./ingest-shared";

export const CreatePropertyResponseSchema = z
  .object({
    success: z.literal(true),
    data: z.object({
      id: z.uuid(),
      outcome: z.enum(["created", "merged", "unchanged"]),
      warnings: z.array(IngestWarningSchema).optional().openapi({
        description: "Near candidates it was not merged into; coordinates dropped as outside the country; an implausible price",
      }),
    }),
  })
  .openapi("CreatePropertyResponse");

const errorContent = (description: string) => ({ description, content: { "application/json": { schema: ErrorEnvelopeSchema } } });

const route = createRoute({
  tags: ["ingest"],
  operationId: "properties.create",
  method: "post",
  path: "/api/v1/properties",
  summary: "Ingest one listing",
  description:
    "Validates, normalises and merges one listing (see the ingest docs). 201 when a new property was created, 200 when it was merged into an existing one or nothing changed.",
  middleware: [requireRole("service", "admin"), idempotency()] as const,
  request: {
    headers: IdempotencyHeaderSchema,
    body: { required: true, content: { "application/json": { schema: IngestItemSchema } } },
  },
  responses: {
    201: { description: "A new property", content: { "application/json": { schema: CreatePropertyResponseSchema } } },
    200: {
      description: "Merged into an existing property, or unchanged",
      content: { "application/json": { schema: CreatePropertyResponseSchema } },
    },
    ...openApiErrorResponses,
    409: errorContent("A request with the same Idempotency-Key is still running."),
    413: errorContent("The body exceeds 1 MB."),
    415: errorContent("The body is not JSON."),
    422: errorContent("The Idempotency-Key was used with a different body."),
  },
});

export function registerPropertiesCreate(app: App) {
  allowBodyUpTo(route.path, MAX_ITEM_BODY_BYTES);
  app.openapi(route, async (c) => {
    // The validator has checked the item; the pipeline parses the raw body itself so every entry point
    // goes through exactly the same steps.
    const { results } = await ingestItems(c.env, [await c.req.json()]);
    const result = results[0]!;
    if (result.outcome === "invalid" || !result.id) {
      throw new ApiError("VALIDATION_FAILED", "The listing is invalid.", { details: result.errors });
    }
    const body = {
      success: true as const,
      data: { id: result.id, outcome: result.outcome, ...(result.warnings ? { warnings: result.warnings } : {}) },
    };
    return result.outcome === "created" ? c.json(body, 201) : c.json(body, 200);
  });
}
