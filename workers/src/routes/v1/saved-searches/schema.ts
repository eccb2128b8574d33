/** Shapes shared by the saved-search operations (docs/saved-searches.md). */
import { z } from "@hono/zod-openapi";
import { boundedText } from "../../../../../connectors/contract/validation/bounded";
import { assertFetchableUrl, UnsafeUrlError } from "../../../../../connectors/core/ssrf";
import type { Env } from "../../../env";
import type { Identity } from "../../../pkg/auth";
import { ApiError } from "../../../pkg/errors";
import { webhookSettings } from "../../../pkg/saved-searches/config";
import { UNREAD_COUNT_SQL } from "../../../pkg/saved-searches/unread";

export const EVENT_KINDS = ["new_match", "price_drop", "status_change", "back_on_market"] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

export const NameSchema = boundedText(100).trim().min(1).openapi({ example: "Hobart under 900k" });
export const QuerySchema = boundedText(20_000).openapi({
  description:
    "The search as `GET /api/v1/properties` takes it (its query string): every filter, `near`/`bbox`/`polygon` included. " +
    "Paging and presentation parameters (`sort`, `limit`, `offset`, `cursor`, `count`, `fields`) are dropped.",
  example: "city=Hobart&max_price=900000",
});
export const EventsSchema = z
  .array(z.enum(EVENT_KINDS))
  .min(1)
  .max(EVENT_KINDS.length)
  .transform((v) => [...new Set(v)])
  .openapi({
    description:
      "What to be told about: `new_match`, `price_drop`, `status_change` (under offer, sold, off market), `back_on_market`.",
    example: ["new_match", "price_drop"],
  });
export const WebhookUrlSchema = z
  .url({ protocol: /^https?$/ })
  .max(2000)
  .openapi({ description: "Where events are POSTed, signed per Standard Webhooks", example: "https://example.com/hooks/pillow" });

export const SavedSearchSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    query: z.string().openapi({ description: "Normalised: filters only, keys sorted", example: "city=Hobart&max_price=900000" }),
    events: z.array(z.enum(EVENT_KINDS)),
    webhook_url: z.string().nullable(),
    webhook_enabled: z.boolean().openapi({ description: "False once deliveries kept failing (see `webhook_disabled_reason`)" }),
    webhook_disabled_reason: z.string().nullable(),
    paused: z.boolean().openapi({ description: "A paused search records no events" }),
    unread_count: z.number().int().openapi({
      description: "Events recorded since the events were last read (first page of `…/events`, or `POST …/seen`)",
    }),
    created_at: z.iso.datetime(),
    updated_at: z.iso.datetime(),
  })
  .openapi("SavedSearch");

export const SavedSearchWithSecretSchema = SavedSearchSchema.extend({
  webhook_secret: z.string().nullable().openapi({
    description: "The `whsec_…` signing secret. Shown only when created and on rotation; null without a webhook.",
    example: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
  }),
}).openapi("SavedSearchWithSecret");

export const IdParamsSchema = z.object({
  id: z.uuid().openapi({ param: { name: "id", in: "path" }, example: "0b6f3f5e-8d0c-4c1e-9d55-3f7a3c2b1a00" }),
});

export type SavedSearchRow = {
  id: string;
  name: string;
  query: string;
  events: string[];
  webhook_url: string | null;
  webhook_disabled_at: string | Date | null;
  webhook_disabled_reason: string | null;
  paused_at: string | Date | null;
  unread_count: number | string;
  created_at: string | Date;
  updated_at: string | Date;
};

/** The columns `savedSearchView` reads, with the unread count; `s` is `saved_searches`. */
export const SAVED_SEARCH_COLUMNS = `s.id, s.name, s.query, s.events, s.webhook_url, s.webhook_disabled_at, s.webhook_disabled_reason,
  s.paused_at, s.created_at, s.updated_at,
  ${UNREAD_COUNT_SQL} AS unread_count`;

const iso = (v: string | Date) => new Date(v).toISOString();

export function savedSearchView(row: SavedSearchRow): z.infer<typeof SavedSearchSchema> {
  return {
    id: row.id,
    name: row.name,
    query: row.query,
    events: row.events as EventKind[],
    webhook_url: row.webhook_url,
    webhook_enabled: row.webhook_url !== null && row.webhook_disabled_at === null,
    webhook_disabled_reason: row.webhook_disabled_reason,
    paused: row.paused_at !== null,
    unread_count: Number(row.unread_count),
    created_at: iso(row.created_at),
    updated_at: iso(row.updated_at),
  };
}

/** Saved searches belong to a user account; credentials without one (connector tokens) cannot have any. */
export function ownerOf(identity: Identity): string {
  if (identity.kind !== "anonymous" && identity.userId) return identity.userId;
  throw new ApiError("FORBIDDEN", "Only credentials that belong to a user account can have saved searches.");
}

/** The crawl fetcher's SSRF guard, applied when the URL is given (and again at every delivery). */
export function checkWebhookUrl(env: Env, url: string): string {
  try {
    assertFetchableUrl(url, webhookSettings(env).allowHosts);
  } catch (err) {
    if (err instanceof UnsafeUrlError) {
      const reason = err.message.replace(/^refusing to fetch \S+: /, "");
      throw new ApiError("VALIDATION_FAILED", `webhook_url: ${reason}`, { details: [{ path: "webhook_url", message: reason }] });
    }
    throw err;
  }
  return url;
}

export const notFound = () => new ApiError("NOT_FOUND", "No such saved search.");

export const AttemptSchema = z
  .object({
    at: z.iso.datetime(),
    status_code: z.number().int().nullable().openapi({ description: "The receiver's HTTP status; null when it did not answer" }),
    duration_ms: z.number().int(),
    error: z.string().nullable(),
  })
  .openapi("WebhookAttempt");

export const DeliverySchema = z
  .object({
    id: z.uuid().openapi({ description: "The `webhook-id` header every attempt of this delivery sends" }),
    event_id: z.string(),
    kind: z.enum(EVENT_KINDS),
    status: z.enum(["pending", "succeeded", "failed"]),
    attempts: z.number().int(),
    response_code: z.number().int().nullable().openapi({ description: "Of the last attempt" }),
    duration_ms: z.number().int().nullable().openapi({ description: "Of the last attempt" }),
    error: z.string().nullable().openapi({ description: "Why the last attempt failed" }),
    last_attempt_at: z.iso.datetime().nullable(),
    next_attempt_at: z.iso.datetime().nullable().openapi({ description: "When the next retry is due (pending only)" }),
    created_at: z.iso.datetime(),
    attempt_log: z.array(AttemptSchema),
  })
  .openapi("WebhookDelivery");

export type DeliveryRow = {
  id: string;
  event_id: string | number;
  kind: string;
  status: string;
  attempts: number;
  last_status_code: number | null;
  last_duration_ms: number | null;
  last_error: string | null;
  last_attempt_at: string | Date | null;
  next_attempt_at: string | Date | null;
  created_at: string | Date;
  attempt_log: Array<{ at: string; status_code: number | null; duration_ms: number; error: string | null }>;
};

export const DELIVERY_COLUMNS = `d.id, d.event_id, e.kind, d.status, d.attempts, d.last_status_code, d.last_duration_ms, d.last_error,
  d.last_attempt_at, d.next_attempt_at, d.created_at, d.attempt_log`;

export function deliveryView(row: DeliveryRow): z.infer<typeof DeliverySchema> {
  return {
    id: row.id,
    event_id: String(row.event_id),
    kind: row.kind as EventKind,
    status: row.status as "pending" | "succeeded" | "failed",
    attempts: row.attempts,
    response_code: row.last_status_code,
    duration_ms: row.last_duration_ms,
    error: row.last_error,
    last_attempt_at: row.last_attempt_at === null ? null : iso(row.last_attempt_at),
    next_attempt_at: row.next_attempt_at === null ? null : iso(row.next_attempt_at),
    created_at: iso(row.created_at),
    attempt_log: row.attempt_log.map((a) => ({ ...a, at: iso(a.at) })),
  };
}

export const PageLimitSchema = z.coerce
  .number()
  .int()
  .min(1)
  .max(100)
  .default(20)
  .openapi({ description: "Page size, 1–100", example: 20 });
