/**
 * The database floor of ingest: the statements the pipeline sends for batches of new records, with
 * the same parameters, sent straight to Postgres. The items are received and prepared (validated,
 * normalised, hashed) first, untimed, by the pipeline's own steps; then each batch runs the lookup of
 * identical re-submissions and, in one transaction, the pipeline's write step (`writeRounds`: key
 * locks, the locking lookup of candidates, the merge and the write) on one of `connections` direct
 * connections. What remains is Postgres' share of ingest, without the Worker, the stand-ins and the
 * load generator on the same cores.
 */
import type { PoolClient } from "@neondatabase/serverless";
import pg from "pg";
import type { IngestResult, Prepared } from "../workers/src/pkg/ingest/pipeline.ts";
import { bundleForNode } from "./bundle.ts";

type Pipeline = typeof import("../workers/src/pkg/ingest/pipeline.ts") & typeof import("../workers/src/pkg/ingest/store.ts");

type ReadyBatch = { unchangedKeys: string; prepared: Prepared[]; results: IngestResult[] };

function loadPipeline(): Promise<Pipeline> {
  return bundleForNode<Pipeline>(
    `export * from "./workers/src/pkg/ingest/pipeline.ts"; export { UNCHANGED_SQL } from "./workers/src/pkg/ingest/store.ts";`,
    "ingest-floor",
  );
}

async function ready({ receive, unchangedLookups, prepare }: Pipeline, items: unknown[]): Promise<ReadyBatch> {
  const results: IngestResult[] = new Array(items.length);
  const received = await receive(items, {});
  return { unchangedKeys: JSON.stringify(unchangedLookups(received)), prepared: await prepare(received, results), results };
}

/**
 * Prepares `batches` (item arrays as the API would receive them) and opens `connections` direct
 * connections; `run` then writes them all, `close` ends the connections.
 */
export async function prepareIngestFloor(
  databaseUrl: string,
  batches: unknown[][],
  connections: number,
): Promise<{ run: () => Promise<void>; close: () => Promise<void> }> {
  const pipeline = await loadPipeline();
  const { UNCHANGED_SQL, writeRounds } = pipeline;
  const work = await Promise.all(batches.map((items) => ready(pipeline, items)));
  const clients = await Promise.all(
    Array.from({ length: connections }, async () => {
      const client = new pg.Client(databaseUrl);
      await client.connect();
      return client;
    }),
  );
  const run = async () => {
    let next = 0;
    await Promise.all(
      clients.map(async (client) => {
        // pg's Client answers the same `query(text, values)` calls as the driver's PoolClient.
        const tx = client as unknown as PoolClient;
        for (let b = next++; b < work.length; b = next++) {
          const batch = work[b]!;
          await client.query(UNCHANGED_SQL, [batch.unchangedKeys]);
          await client.query("BEGIN");
          await writeRounds(tx, batch.prepared, batch.results, new Date().toISOString());
          await client.query("COMMIT");
        }
      }),
    );
  };
  const close = async () => {
    await Promise.all(clients.map((c) => c.end()));
  };
  return { run, close };
}
