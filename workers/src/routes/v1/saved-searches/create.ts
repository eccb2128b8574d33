import { z } from "@hono/zod-openapi";
import { getSql } from "../../../pkg/db";
import { ApiError } from "../../../pkg/errors";
import type { App } from "../../../pkg/hono/app";
import { apiRoute } from "../../../pkg/openapi/route";
import { MAX_SAVED_SEARCHES_PER_USER } from "../../../pkg/saved-searches/config";
import { REPLACE_PREDICATES_SQL, replacePredicatesParams } from "../../../pkg/saved-searches/predicates";
import { parseSavedQuery } from "../../../pkg/saved-searches/query";
import { newWebhookSecret } from "../../../pkg/saved-searches/secret";
import {
  checkWebhookUrl,
  EventsSchema,
  NameSchema,
  ownerOf,
  QuerySchema,
  SAVED_SEARCH_COLUMNS,
  type SavedSearchRow,
  SavedSearchWithSecretSchema,
  savedSearchView,
  WebhookUrlSchema,
} from "./schema";

export const CreateSavedSearchRequestSchema = z
  .object({
    name: NameSchema,
    query: QuerySchema,
    events: EventsSchema.default(["new_match"]),
    webhook_url: WebhookUrlSchema.nullable().optional(),
  })
  .strict()
  .openapi("CreateSavedSearchRequest");

export const CreateSavedSearchResponseSchema = z
  .object({ success: z.literal(true), data: SavedSearchWithSecretSchema })
  .openapi("CreateSavedSearchResponse");

const route = apiRoute({
  access: "user",
  tags: ["saved-searches"],
  operationId: "savedSearches.create",
  method: "post",
  path: "/api/v1/saved-searches",
  summary: "Save a search",
  description:
    "Saves a search (the query string of `GET /api/v1/properties`, validated exactly as the search validates it) and the " +
    "events wanted. With a `webhook_url`, events are delivered as signed webhooks; the `whsec_…` secret is returned only " +
    `here and on rotation. At most ${MAX_SAVED_SEARCHES_PER_USER} saved searches per account.`,
  request: { body: { required: true, content: { "application/json": { schema: CreateSavedSearchRequestSchema } } } },
  errors: { 422: `The account already has ${MAX_SAVED_SEARCHES_PER_USER} saved searches.` },
  responses: {
    201: {
      description: "Saved; the only time (with rotation) the webhook secret is shown",
      content: { "application/json": { schema: CreateSavedSearchResponseSchema } },
    },
  },
});

export function registerSavedSearchesCreate(app: App) {
  app.openapi(route, async (c) => {
    const userId = ownerOf(c.get("identity"));
    const body = c.req.valid("json");
    const saved = parseSavedQuery(body.query);
    const webhookUrl = body.webhook_url ? checkWebhookUrl(c.env, body.webhook_url) : null;
    const secret = webhookUrl ? newWebhookSecret() : null;
    const id = crypto.randomUUID();
    const sql = getSql(c.env);
    // The quota is checked and the row written under a per-user lock, so parallel creates cannot pass it together.
    const [, inserted] = await sql.transaction([
      sql.query("SELECT pg_advisory_xact_lock(hashtextextended('saved_searches:' || $1, 0))", [userId]),
      sql.query(
        `INSERT INTO saved_searches AS s (id, user_id, name, query, events, webhook_url, webhook_secret)
         SELECT $1, $2, $3, $4, $5, $6, $7
         WHERE (SELECT count(*) FROM saved_searches WHERE user_id = $2) < $8
         RETURNING ${SAVED_SEARCH_COLUMNS}`,
        [id, userId, body.name, saved.text, body.events, webhookUrl, secret, MAX_SAVED_SEARCHES_PER_USER],
      ),
      sql.query(REPLACE_PREDICATES_SQL, replacePredicatesParams(id, userId, saved.filters)),
    ]);
    const row = (inserted as unknown as SavedSearchRow[])[0];
    if (!row) {
      throw new ApiError(
        "UNPROCESSABLE",
        `You already have ${MAX_SAVED_SEARCHES_PER_USER} saved searches, the most an account may have; delete one first.`,
        { details: [{ path: "", message: `at most ${MAX_SAVED_SEARCHES_PER_USER} saved searches per account` }] },
      );
    }
    return c.json({ success: true as const, data: { ...savedSearchView(row), webhook_secret: secret } }, 201);
  });
}
