/**
 * The read API's shapes and a fetch helper that turns errors into messages. The shapes are the Worker's
 * own response schemas (the zod definitions behind the OpenAPI document), imported as types only:
 * nothing of the Worker is bundled into the site, and a field added to the API is known here at once.
 */
import type { z } from "@hono/zod-openapi";
import type { AddressSchema, HistoryEventSchema } from "../../../workers/src/pkg/properties/schema";
import type { PaginationSchema } from "../../../workers/src/routes/v1/properties/schema";
import type { StatsGroupSchema } from "../../../workers/src/routes/v1/stats/schema";

export type { Property, PropertyDetail } from "../../../workers/src/pkg/properties/schema";
export type Address = z.infer<typeof AddressSchema>;
export type HistoryEvent = z.infer<typeof HistoryEventSchema>;
export type StatsGroup = z.infer<typeof StatsGroupSchema>;

export type Page<T> = { data: T[]; pagination: z.infer<typeof PaginationSchema> };

export class ApiFailure extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
  ) {
    super(message);
  }
}

/** GET an API path; resolves to the whole success envelope, rejects with a message fit for people. */
export async function apiGet<T>(path: string, signal?: AbortSignal): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, { headers: { accept: "application/json" }, signal });
  } catch (err) {
    if ((err as Error).name === "AbortError") throw err;
    throw new ApiFailure("Pillow could not be reached. Check your connection and try again.", 0, "NETWORK");
  }
  let body: { success?: boolean; error?: { code: string; message: string } } | undefined;
  try {
    body = await res.json();
  } catch {
    body = undefined;
  }
  if (res.ok && body?.success) return body as T;
  const code = body?.error?.code ?? `HTTP_${res.status}`;
  throw new ApiFailure(friendly(res.status, code, body?.error?.message), res.status, code);
}

function friendly(status: number, code: string, message?: string): string {
  if (code === "VALIDATION_FAILED") return `Please check the filters: ${message ?? "a value is not valid"}.`;
  if (status === 404) return "Not found: it may have been removed.";
  if (status === 429) return "Too many requests right now. Wait a moment and try again.";
  if (status >= 500) return "Pillow is having trouble answering. Please try again shortly.";
  return message ?? "Something went wrong.";
}

/** The machine key of a stats group (`YYYY-MM` for months: sortable). */
export function groupKey(g: StatsGroup): string {
  return g.key;
}

/** The display form of a stats group (the city as written, …). */
export function groupLabel(g: StatsGroup): string {
  return g.label;
}
