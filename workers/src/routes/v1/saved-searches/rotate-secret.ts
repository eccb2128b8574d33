import { z } from "@hono/zod-openapi";
import { getSql } from "../../../pkg/db";
import { ApiError } from "../../../pkg/errors";
import type { App } from "../../../pkg/hono/app";
import { apiRoute } from "../../../pkg/openapi/route";
import { newWebhookSecret } from "../../../pkg/saved-searches/secret";
import {
  IdParamsSchema,
  notFound,
  ownerOf,
  SAVED_SEARCH_COLUMNS,
  type SavedSearchRow,
  SavedSearchWithSecretSchema,
  savedSearchView,
} from "./schema";

export const RotateSecretResponseSchema = z
  .object({ success: z.literal(true), data: SavedSearchWithSecretSchema })
  .openapi("RotateWebhookSecretResponse");

const route = apiRoute({
  access: "user",
  tags: ["saved-searches"],
  operationId: "savedSearches.rotateSecret",
  method: "post",
  path: "/api/v1/saved-searches/{id}/rotate-secret",
  summary: "Rotate the webhook signing secret",
  description:
    "Replaces the `whsec_…` secret at once and returns the new one (the only time it is shown). Every delivery from now " +
    "on, retries of earlier events included, is signed with it.",
  request: { params: IdParamsSchema },
  errors: { 404: "No such saved search of yours", 422: "The saved search has no webhook" },
  responses: {
    200: { description: "The new secret", content: { "application/json": { schema: RotateSecretResponseSchema } } },
  },
});

export function registerSavedSearchesRotateSecret(app: App) {
  app.openapi(route, async (c) => {
    const userId = ownerOf(c.get("identity"));
    const { id } = c.req.valid("param");
    const secret = newWebhookSecret();
    const sql = getSql(c.env);
    const [row] = (await sql.query(
      `UPDATE saved_searches s SET webhook_secret = CASE WHEN webhook_url IS NULL THEN NULL ELSE $3 END, updated_at = now()
       WHERE s.id = $1 AND s.user_id = $2 RETURNING ${SAVED_SEARCH_COLUMNS}`,
      [id, userId, secret],
    )) as unknown as SavedSearchRow[];
    if (!row) throw notFound();
    if (row.webhook_url === null) throw new ApiError("UNPROCESSABLE", "This saved search has no webhook_url; set one first.");
    return c.json({ success: true as const, data: { ...savedSearchView(row), webhook_secret: secret } }, 200);
  });
}
