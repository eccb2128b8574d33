import { z } from "@hono/zod-openapi";
import { toMajor } from "../../../../../connectors/contract/money/minor-units";
import { getSql } from "../../../pkg/db";
import type { App } from "../../../pkg/hono/app";
import { notifySavedSearchOwners } from "../../../pkg/live/notify";
import { apiRoute } from "../../../pkg/openapi/route";
import { invalid } from "../../../pkg/search/invalid";
import { EVENT_KINDS, type EventKind, IdParamsSchema, notFound, ownerOf, PageLimitSchema } from "./schema";

export const SavedSearchEventSchema = z
  .object({
    id: z.string().openapi({ description: "Event id (also in webhook payloads)", example: "1042" }),
    kind: z.enum(EVENT_KINDS),
    property_id: z.uuid(),
    change: z.record(z.string(), z.unknown()).openapi({
      description: "What changed: `{old, new}` prices for `price_drop`, statuses for `status_change` and `back_on_market`",
    }),
    property: z
      .object({
        title: z.string().nullable(),
        status: z.string(),
        price: z.number().nullable(),
        currency: z.string(),
        city: z.string().nullable(),
        country: z.string(),
      })
      .openapi({ description: "The property as it is now" }),
    created_at: z.iso.datetime(),
  })
  .openapi("SavedSearchEvent");

export const ListEventsResponseSchema = z
  .object({
    success: z.literal(true),
    data: z.array(SavedSearchEventSchema),
    pagination: z.object({ limit: z.number().int(), next_cursor: z.string().nullable() }),
  })
  .openapi("ListSavedSearchEventsResponse");

const route = apiRoute({
  access: "user",
  tags: ["saved-searches"],
  operationId: "savedSearches.events",
  method: "get",
  path: "/api/v1/saved-searches/{id}/events",
  summary: "The matches of one of your saved searches",
  description:
    "Events newest first, paged with `cursor` (`pagination.next_cursor`). Reading the first page marks the events read " +
    "(`unread_count` becomes 0).",
  request: {
    params: IdParamsSchema,
    query: z
      .object({
        limit: PageLimitSchema,
        cursor: z.string().max(100).optional().openapi({ description: "`pagination.next_cursor` of the previous page" }),
      })
      .strict(),
  },
  errors: { 404: "No such saved search of yours" },
  responses: {
    200: { description: "A page of events", content: { "application/json": { schema: ListEventsResponseSchema } } },
  },
});

const encodeCursor = (id: string) => btoa(`e:${id}`).replace(/=+$/, "");
function decodeCursor(cursor: string): string {
  let text = "";
  try {
    text = atob(cursor);
  } catch {
    // falls through to the error below
  }
  const m = /^e:(\d{1,18})$/.exec(text);
  if (!m) throw invalid("cursor", "is not a cursor this endpoint returned");
  return m[1] as string;
}

type EventRow = {
  id: string;
  kind: string;
  property_id: string;
  data: Record<string, unknown>;
  created_at: string | Date;
  title: string | null;
  status: string;
  /** bigint: a string from the driver. */
  price_minor: string | number | null;
  currency: string;
  city: string | null;
  country: string;
};

export function registerSavedSearchesEvents(app: App) {
  app.openapi(route, async (c) => {
    const userId = ownerOf(c.get("identity"));
    const { id } = c.req.valid("param");
    const { limit, cursor } = c.req.valid("query");
    const before = cursor === undefined ? null : decodeCursor(cursor);
    const sql = getSql(c.env);
    const [owned, rows] = await sql.transaction([
      // The first page is what the account page shows: reading it marks the events read.
      sql.query(
        `UPDATE saved_searches SET read_at = CASE WHEN $3::boolean THEN now() ELSE read_at END
         WHERE id = $1 AND user_id = $2 RETURNING id`,
        [id, userId, before === null],
      ),
      sql.query(
        `SELECT e.id::text, e.kind, e.property_id, e.data, e.created_at, p.title, p.status,
                p.price_minor, p.currency, p.city, p.country
         FROM saved_searches s
         -- An event row names every search it is an event of (docs/saved-searches.md "Events"): this
         -- search's are found through the GIN index on the names.
         JOIN saved_search_events e ON e.saved_search_ids @> ARRAY[s.id]
         JOIN properties p ON p.id = e.property_id
         WHERE s.id = $1 AND s.user_id = $2 AND ($3::bigint IS NULL OR e.id < $3::bigint)
         ORDER BY e.id DESC LIMIT $4`,
        [id, userId, before, limit + 1],
      ),
    ]);
    if ((owned as unknown[]).length === 0) throw notFound();
    // The account's open pages (the header's count) learn that these events are read.
    if (before === null) await notifySavedSearchOwners(c.env, [id]);
    const page = (rows as unknown as EventRow[]).slice(0, limit);
    const more = (rows as unknown[]).length > limit;
    return c.json(
      {
        success: true as const,
        data: page.map((r) => ({
          id: r.id,
          kind: r.kind as EventKind,
          property_id: r.property_id,
          change: r.data,
          property: {
            title: r.title,
            status: r.status,
            // Minor units of the listing's own currency (0 digits for JPY, 3 for KWD).
            price: toMajor(r.price_minor, r.currency),
            currency: r.currency,
            city: r.city,
            country: r.country,
          },
          created_at: new Date(r.created_at).toISOString(),
        })),
        pagination: { limit, next_cursor: more && page.length > 0 ? encodeCursor(page.at(-1)!.id) : null },
      },
      200,
    );
  });
}
