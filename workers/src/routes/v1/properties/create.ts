import { z } from "@hono/zod-openapi";
import { sourceGrant } from "../../../pkg/auth";
import { ApiError } from "../../../pkg/errors";
import type { App } from "../../../pkg/hono/app";
import { allowBodyUpTo } from "../../../pkg/hono/body-limit";
import { idempotency } from "../../../pkg/idempotency";
import { IngestItemSchema, ingestItems } from "../../../pkg/ingest";
import { apiRoute } from "../../../pkg/openapi/route";
import { IdempotencyHeaderSchema, IngestWarningSchema, MAX_ITEM_BODY_BYTES } from "./ingest-shared";
import { foreignSource, foreignSourceMessage } from "./source-check";

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

const route = apiRoute({
  access: "service",
  tags: ["ingest"],
  operationId: "properties.create",
  method: "post",
  path: "/api/v1/properties",
  summary: "Ingest one listing",
  description:
    "Validates, normalises and merges one listing (see the ingest docs). 201 when a new property was created, 200 when it was merged into an existing one or nothing changed. " +
    "A service token may only send listings of the sources it was minted for; others are 403.",
  middleware: [idempotency()] as const,
  request: {
    headers: IdempotencyHeaderSchema,
    body: { required: true, content: { "application/json": { schema: IngestItemSchema } } },
  },
  errors: {
    403: "The credentials are not of a role service or admin, or the token may not ingest under the listing's `source`.",
    409: "A request with the same Idempotency-Key is still running.",
    413: "The body exceeds 1 MB.",
    415: "The body is not JSON.",
    422: "The Idempotency-Key was used with a different body.",
  },
  responses: {
    201: { description: "A new property", content: { "application/json": { schema: CreatePropertyResponseSchema } } },
    200: {
      description: "Merged into an existing property, or unchanged",
      content: { "application/json": { schema: CreatePropertyResponseSchema } },
    },
  },
});

export function registerPropertiesCreate(app: App) {
  allowBodyUpTo(route.path, MAX_ITEM_BODY_BYTES);
  app.openapi(route, async (c) => {
    // The validator has checked the item; the pipeline parses the raw body itself so every entry point
    // goes through exactly the same steps.
    const item: unknown = await c.req.json();
    const foreign = foreignSource(sourceGrant(c.get("identity")), item);
    if (foreign) throw new ApiError("FORBIDDEN", foreignSourceMessage(foreign));
    const { results } = await ingestItems(c.env, [item]);
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
