/**
 * The webhook delivery consumer (queue `webhook-deliveries`). One message is one delivery of one event,
 * sent per the Standard Webhooks specification (https://www.standardwebhooks.com): `webhook-id` is the
 * delivery's id, the same on every attempt so receivers can de-duplicate; `webhook-timestamp` and
 * `webhook-signature` (`v1,<base64 HMAC-SHA256>`) come from the `standardwebhooks` library. Each attempt
 * passes the crawl fetcher's SSRF guard, waits at most `WEBHOOK_TIMEOUT_MS` and follows no redirect (a
 * 3xx is a failed attempt: a redirect could lead to an address the guard refuses). A failed attempt is
 * retried with exponential backoff; a delivery that used up its attempts goes to the dead-letter queue,
 * whose consumer (dead-letter.ts) marks it failed.
 */
import { Webhook } from "standardwebhooks";
import { toMajor } from "../../../../connectors/contract/money/minor-units";
import { assertFetchableUrl, UnsafeUrlError } from "../../../../connectors/core/ssrf";
import type { Env } from "../../env";
import { getSql } from "../db";
import { log } from "../log";
import { retryDelaySeconds, type WebhookSettings, webhookSettings } from "./config";
import type { DeliveryMessage } from "./enqueue";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** What of the receiver's answer is kept in the log. */
const ERROR_TEXT_MAX = 300;

type DeliveryJob = {
  id: string;
  status: string;
  event_id: string;
  kind: string;
  change: Record<string, unknown>;
  event_at: string | Date;
  saved_search_id: string;
  saved_search_name: string;
  webhook_url: string | null;
  webhook_secret: string | null;
  webhook_disabled_at: string | Date | null;
  property_id: string;
  title: string | null;
  property_status: string | null;
  /** bigint: a string from the driver. */
  price_minor: string | number | null;
  currency: string | null;
  property_type: string | null;
  listing_type: string | null;
  bedrooms: number | null;
  city: string | null;
  country: string | null;
};

const LOAD_SQL = `
SELECT d.id, d.status, e.id::text AS event_id, e.kind, e.data AS change, e.created_at AS event_at,
       s.id AS saved_search_id, s.name AS saved_search_name, s.webhook_url, s.webhook_secret, s.webhook_disabled_at,
       e.property_id, p.title, p.status AS property_status, p.price_minor, p.currency,
       p.property_type, p.listing_type, p.bedrooms, p.city, p.country
FROM webhook_deliveries d
JOIN saved_search_events e ON e.id = d.event_id
JOIN saved_searches s ON s.id = d.saved_search_id
LEFT JOIN properties p ON p.id = e.property_id
WHERE d.id = $1`;

/** The event as receivers get it: `{type, timestamp, data}` as the specification recommends. */
export function webhookPayload(job: DeliveryJob): string {
  return JSON.stringify({
    type: `saved_search.${job.kind}`,
    timestamp: new Date(job.event_at).toISOString(),
    data: {
      event_id: job.event_id,
      kind: job.kind,
      saved_search: { id: job.saved_search_id, name: job.saved_search_name },
      change: job.change,
      property: {
        id: job.property_id,
        title: job.title,
        status: job.property_status,
        // Minor units of the listing's own currency (0 digits for JPY, 3 for KWD).
        price: job.currency ? toMajor(job.price_minor, job.currency) : null,
        currency: job.currency,
        property_type: job.property_type,
        listing_type: job.listing_type,
        bedrooms: job.bedrooms,
        city: job.city,
        country: job.country,
      },
    },
  });
}

type Attempt = { statusCode: number | null; durationMs: number; error: string | null };

async function send(settings: WebhookSettings, job: DeliveryJob, url: string, secret: string): Promise<Attempt> {
  const payload = webhookPayload(job);
  // One instant for the signature and the header: signed and sent timestamps must agree to the second.
  const sentAt = new Date();
  const signature = new Webhook(secret).sign(job.id, sentAt, payload);
  const started = Date.now();
  try {
    const res = await fetch(url, {
      method: "POST",
      redirect: "manual",
      signal: AbortSignal.timeout(settings.timeoutMs),
      headers: {
        "content-type": "application/json",
        "user-agent": "Pillow-Webhooks/1",
        "webhook-id": job.id,
        "webhook-timestamp": String(Math.floor(sentAt.getTime() / 1000)),
        "webhook-signature": signature,
      },
      body: payload,
    });
    // Only the status matters; the body is read (bounded) so the connection is released, and kept for the log on failure.
    const text = (await res.text().catch(() => "")).slice(0, ERROR_TEXT_MAX);
    const durationMs = Date.now() - started;
    if (res.status >= 200 && res.status < 300) return { statusCode: res.status, durationMs, error: null };
    const why = res.status >= 300 && res.status < 400 ? "redirect not followed" : `answered ${res.status}`;
    return { statusCode: res.status, durationMs, error: text ? `${why}: ${text}` : why };
  } catch (err) {
    const e = err as Error;
    const timedOut = e.name === "TimeoutError" || e.name === "AbortError";
    return {
      statusCode: null,
      durationMs: Date.now() - started,
      error: timedOut ? `no answer within ${settings.timeoutMs} ms` : `could not connect: ${e.message}`.slice(0, ERROR_TEXT_MAX),
    };
  }
}

/** Appends the attempt to the log; succeeded ends the delivery, otherwise the next retry time is noted. */
async function record(env: Env, job: DeliveryJob, attempt: Attempt, nextAt: Date | null): Promise<void> {
  const ok = attempt.error === null;
  await getSql(env).query(
    `WITH d AS (
       UPDATE webhook_deliveries SET
         status = CASE WHEN $2 THEN 'succeeded' ELSE status END,
         attempts = attempts + 1, last_status_code = $3, last_duration_ms = $4, last_error = $5,
         last_attempt_at = now(), next_attempt_at = $6,
         attempt_log = attempt_log || jsonb_build_array(jsonb_build_object(
           'at', now(), 'status_code', $3::int, 'duration_ms', $4::int, 'error', $5::text))
       WHERE id = $1 AND status = 'pending' RETURNING saved_search_id)
     UPDATE saved_searches SET webhook_failures = 0 WHERE $2 AND id IN (SELECT saved_search_id FROM d)`,
    [job.id, ok, attempt.statusCode, attempt.durationMs, attempt.error, nextAt?.toISOString() ?? null],
  );
}

/** Ends a delivery that cannot be sent at all (webhook removed or disabled, URL refused): no retry helps. */
async function abandon(env: Env, id: string, reason: string): Promise<void> {
  await getSql(env).query(
    "UPDATE webhook_deliveries SET status = 'failed', last_error = $2, next_attempt_at = NULL WHERE id = $1 AND status = 'pending'",
    [id, reason],
  );
}

type Outcome = { done: true } | { done: false; error: string };

async function deliver(env: Env, settings: WebhookSettings, id: string, attemptNo: number): Promise<Outcome> {
  const [job] = (await getSql(env).query(LOAD_SQL, [id])) as unknown as DeliveryJob[];
  if (job?.status !== "pending") return { done: true };
  if (!job.webhook_url || !job.webhook_secret) {
    await abandon(env, id, "the saved search no longer has a webhook");
    return { done: true };
  }
  if (job.webhook_disabled_at !== null) {
    await abandon(env, id, "the webhook is disabled");
    return { done: true };
  }
  try {
    assertFetchableUrl(job.webhook_url, settings.allowHosts);
  } catch (err) {
    if (!(err instanceof UnsafeUrlError)) throw err;
    await abandon(env, id, err.message);
    return { done: true };
  }
  const attempt = await send(settings, job, job.webhook_url, job.webhook_secret);
  const last = attemptNo >= settings.maxAttempts;
  const nextAt = attempt.error === null || last ? null : new Date(Date.now() + retryDelaySeconds(settings, attemptNo) * 1000);
  await record(env, job, attempt, nextAt);
  return attempt.error === null ? { done: true } : { done: false, error: attempt.error };
}

export async function consumeWebhookDeliveries(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const settings = webhookSettings(env);
  await Promise.all(
    batch.messages.map(async (msg) => {
      const id = (msg.body as Partial<DeliveryMessage> | null)?.delivery_id;
      if (typeof id !== "string" || !UUID.test(id)) {
        log(undefined, "warn", { msg: "webhook queue: malformed message dropped" });
        msg.ack();
        return;
      }
      try {
        const outcome = await deliver(env, settings, id, msg.attempts);
        if (outcome.done) msg.ack();
        else if (msg.attempts >= settings.maxAttempts) {
          await env.WEBHOOK_DLQ.send({ delivery_id: id } satisfies DeliveryMessage);
          msg.ack();
        } else msg.retry({ delaySeconds: retryDelaySeconds(settings, msg.attempts) });
      } catch (err) {
        // The database (or the queue) failed, not the receiver: the attempt is not counted against it.
        log(undefined, "warn", { msg: "webhook delivery failed before sending", error: (err as Error).message });
        msg.retry({ delaySeconds: retryDelaySeconds(settings, msg.attempts) });
      }
    }),
  );
}
