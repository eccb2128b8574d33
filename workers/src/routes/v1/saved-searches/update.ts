import { z } from "@hono/zod-openapi";
import { getSql } from "../../../pkg/db";
import type { App } from "../../../pkg/hono/app";
import { apiRoute } from "../../../pkg/openapi/route";
import { REPLACE_PREDICATES_SQL, replacePredicatesParams } from "../../../pkg/saved-searches/predicates";
import { parseSavedQuery } from "../../../pkg/saved-searches/query";
import { newWebhookSecret } from "../../../pkg/saved-searches/secret";
import {
  checkWebhookUrl,
  EventsSchema,
  IdParamsSchema,
  NameSchema,
  notFound,
  ownerOf,
  QuerySchema,
  SAVED_SEARCH_COLUMNS,
  type SavedSearchRow,
  SavedSearchWithSecretSchema,
  savedSearchView,
  WebhookUrlSchema,
} from "./schema";

export const UpdateSavedSearchRequestSchema = z
  .object({
    name: NameSchema.optional(),
    query: QuerySchema.optional(),
    events: EventsSchema.optional(),
    webhook_url: WebhookUrlSchema.nullable()
      .optional()
      .openapi({ description: "A new URL (re-enables a disabled webhook), or null to stop webhooks" }),
    webhook_enabled: z.literal(true).optional().openapi({ description: "`true` re-enables a webhook disabled after failures" }),
    paused: z.boolean().optional().openapi({ description: "A paused search records no events" }),
  })
  .strict()
  .refine((v) => Object.keys(v).length > 0, "must change at least one field")
  .openapi("UpdateSavedSearchRequest");

export const UpdateSavedSearchResponseSchema = z
  .object({ success: z.literal(true), data: SavedSearchWithSecretSchema })
  .openapi("UpdateSavedSearchResponse");

const route = apiRoute({
  access: "user",
  tags: ["saved-searches"],
  operationId: "savedSearches.update",
  method: "patch",
  path: "/api/v1/saved-searches/{id}",
  summary: "Change one of your saved searches",
  description:
    "Changes the fields given. `webhook_secret` is returned only when this call created one (the first `webhook_url`); " +
    "otherwise it is null and the secret is unchanged.",
  request: {
    params: IdParamsSchema,
    body: { required: true, content: { "application/json": { schema: UpdateSavedSearchRequestSchema } } },
  },
  errors: { 404: "No such saved search of yours" },
  responses: {
    200: { description: "The changed search", content: { "application/json": { schema: UpdateSavedSearchResponseSchema } } },
  },
});

export function registerSavedSearchesUpdate(app: App) {
  app.openapi(route, async (c) => {
    const userId = ownerOf(c.get("identity"));
    const { id } = c.req.valid("param");
    const body = c.req.valid("json");
    const saved = body.query === undefined ? undefined : parseSavedQuery(body.query);
    const webhookUrl = body.webhook_url ? checkWebhookUrl(c.env, body.webhook_url) : body.webhook_url;
    const values: unknown[] = [id, userId];
    const add = (v: unknown) => `$${values.push(v)}`;
    const sets = ["updated_at = now()"];
    if (body.name !== undefined) sets.push(`name = ${add(body.name)}`);
    if (saved) sets.push(`query = ${add(saved.text)}`);
    if (body.events !== undefined) sets.push(`events = ${add(body.events)}`);
    if (body.paused !== undefined) sets.push(`paused_at = ${body.paused ? "coalesce(s.paused_at, now())" : "NULL"}`);
    // A secret only when there was none: one that exists keeps working (rotation is its own operation).
    const secret = webhookUrl ? newWebhookSecret() : null;
    let secretCreated = "false";
    if (webhookUrl === null) sets.push("webhook_url = NULL, webhook_secret = NULL");
    else if (webhookUrl !== undefined) {
      sets.push(`webhook_url = ${add(webhookUrl)}`, `webhook_secret = coalesce(s.webhook_secret, ${add(secret)})`);
      secretCreated = "(old.old_secret IS NULL)";
    }
    if (webhookUrl !== undefined || body.webhook_enabled) {
      sets.push("webhook_disabled_at = NULL, webhook_disabled_reason = NULL, webhook_failures = 0");
    }
    const sql = getSql(c.env);
    const update = sql.query(
      `WITH old AS (SELECT webhook_secret AS old_secret FROM saved_searches WHERE id = $1 AND user_id = $2 FOR UPDATE)
       UPDATE saved_searches s SET ${sets.join(", ")} FROM old WHERE s.id = $1 AND s.user_id = $2
       RETURNING ${SAVED_SEARCH_COLUMNS}, ${secretCreated} AS secret_created`,
      values,
    );
    const results = saved
      ? await sql.transaction([update, sql.query(REPLACE_PREDICATES_SQL, replacePredicatesParams(id, userId, saved.filters))])
      : [await update];
    const [row] = results[0] as unknown as Array<SavedSearchRow & { secret_created: boolean }>;
    if (!row) throw notFound();
    return c.json(
      { success: true as const, data: { ...savedSearchView(row), webhook_secret: row.secret_created ? secret : null } },
      200,
    );
  });
}
