/**
 * Which source names a caller may ingest under (docs/auth.md "Service tokens"). A service token carries
 * the names it was minted for, or `*` for tools that import many sources; admins and signed-in users
 * whose account has the service role (raised by an operator in the database) are not bound. Checked per
 * item by the ingest routes, so one item under a foreign source fails alone (403 in its result).
 */
import { z } from "@hono/zod-openapi";
import type { Identity } from "./identity";

/** `*`: every source. */
export const ALL_SOURCES = "*";

/** A source name as items write it (`IngestItem.source`): lower case, a domain or dataset name. */
const SourceNameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(100)
  .regex(/^[a-z0-9][a-z0-9._:/-]*$/, "must be a domain or dataset name (letters, digits, . _ : / -), or *");

/** The names a token may write under: distinct source names, or exactly `["*"]`. */
export const SourceGrantSchema = z
  .array(z.union([z.literal(ALL_SOURCES), SourceNameSchema]))
  .min(1)
  .max(200)
  .refine((names) => !names.includes(ALL_SOURCES) || names.length === 1, "`*` stands alone")
  .transform((names) => [...new Set(names)])
  .openapi({
    description: 'Source names the token may ingest under, as items write `source`; `["*"]` for any source',
    example: ["realestate.com.au", "domain.com.au"],
  });

/** Parses `--sources a.example,b.example` (or `*`) of `npm run token`. */
export function parseSourceList(list: string): { sources: string[] } | { error: string } {
  const result = SourceGrantSchema.safeParse(list.split(",").map((s) => s.trim()));
  if (result.success) return { sources: result.data };
  return { error: result.error.issues[0]?.message ?? "invalid source list" };
}

/** The caller's grant: `all`, or the set of source names (empty: none). */
export type SourceGrant = { all: true } | { all: false; names: ReadonlySet<string> };

export function sourceGrant(identity: Identity): SourceGrant {
  if (identity.role === "admin") return { all: true };
  if (identity.kind === "user") return identity.role === "service" ? { all: true } : { all: false, names: new Set() };
  if (identity.kind !== "token") return { all: false, names: new Set() };
  const sources = identity.sources ?? [];
  if (sources.includes(ALL_SOURCES)) return { all: true };
  return { all: false, names: new Set(sources) };
}

export function mayIngestUnder(grant: SourceGrant, source: string): boolean {
  return grant.all || grant.names.has(source);
}
