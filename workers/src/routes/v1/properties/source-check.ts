/**
 * The ingest routes' check of a service token's sources (pkg/auth/source-grant.ts): an item whose
 * `source` the caller may not write under is refused alone, before the pipeline sees it, so it can
 * neither create, merge into, nor change the status of anything. Items whose `source` is not valid at
 * all are left to the pipeline, which reports them as invalid like any other field.
 */
import { mayIngestUnder, type SourceGrant } from "../../../pkg/auth";
import { IngestItemSchema } from "../../../pkg/ingest";

/** The item's (normalised) source when the grant does not cover it; undefined when it may go on. */
export function foreignSource(grant: SourceGrant, item: unknown): string | undefined {
  if (grant.all || !item || typeof item !== "object" || Array.isArray(item)) return undefined;
  const source = IngestItemSchema.shape.source.safeParse((item as { source?: unknown }).source);
  if (!source.success) return undefined;
  return mayIngestUnder(grant, source.data) ? undefined : source.data;
}

export const foreignSourceMessage = (source: string) => `This token may not ingest listings of source ${source}.`;
