/**
 * Local stand-in for Neon's SQL-over-HTTP endpoint, so the production `neon()` driver (and
 * drizzle's neon-http adapter) can reach a plain Postgres. It exists for local dev and tests only.
 *
 * Protocol (as the driver speaks it): POST /sql with `Neon-Connection-String`, body `{query, params}`
 * or `{queries: [...]}` for a transaction; rows come back as raw text so the driver's own type
 * parsers run exactly as they do against Neon.
 */
import { createServer, type IncomingMessage } from "node:http";
import pg from "pg";
import { countTrip, type Distance, splitTag, travel, tripsAnswer } from "./distance.ts";

type Query = { query: string; params?: unknown[] };

/**
 * One statement as the stand-in ran it: `at` is when it started (ms since the epoch, fractional), `ms`
 * the time spent in Postgres. Benchmarks record these to replay the Worker's exact SQL.
 */
export type ObservedQuery = { query: string; params: unknown[]; ms: number; at: number };

/**
 * A trip is tagged by the endpoint's path (`/tag/<name>/sql`) or by `trip_tag=<name>` in the connection
 * string. The driver's endpoint is one setting per isolate, the connection string one per client: tests
 * that share an isolate tag by the connection string.
 */
const TRIP_TAG_PARAM = "trip_tag";

function tripTag(pathname: string, connectionString: string | string[] | undefined): string {
  const byPath = splitTag(pathname).tag;
  if (byPath || typeof connectionString !== "string") return byPath;
  try {
    return new URL(connectionString).searchParams.get(TRIP_TAG_PARAM) ?? "";
  } catch {
    return "";
  }
}

const rawText = { getTypeParser: () => (value: string) => value };

export function startNeonHttp(
  targetUrl: string,
  port = 0,
  onQuery?: (q: ObservedQuery) => void,
  distance?: Distance,
): Promise<{ url: string; close: () => Promise<void> }> {
  const pools = new Map<string, pg.Pool>();
  const target = new URL(targetUrl);

  // The connection string names user/password/database; host and port always go to the local server.
  function poolFor(connectionString: string): pg.Pool {
    let pool = pools.get(connectionString);
    if (!pool) {
      const wanted = new URL(connectionString);
      wanted.host = target.host;
      wanted.searchParams.delete("sslmode");
      wanted.searchParams.delete(TRIP_TAG_PARAM);
      pool = new pg.Pool({ connectionString: wanted.toString(), max: 8, types: rawText });
      pool.on("error", () => {});
      pools.set(connectionString, pool);
    }
    return pool;
  }

  async function run(client: pg.PoolClient, q: Query, arrayMode: boolean) {
    const t0 = performance.now();
    const result = await client.query({ text: q.query, values: q.params ?? [], rowMode: "array", types: rawText });
    onQuery?.({ query: q.query, params: q.params ?? [], ms: performance.now() - t0, at: performance.timeOrigin + t0 });
    const fields = result.fields.map((f) => ({ ...f }));
    const rows = arrayMode
      ? result.rows
      : (result.rows as unknown[][]).map((r) => Object.fromEntries(fields.map((f, i) => [f.name, r[i]])));
    return { command: result.command, rowCount: result.rowCount, fields, rows, rowAsArray: arrayMode };
  }

  /** Transaction control, reported too so that a replay of the statements keeps their transaction. */
  async function control(client: pg.PoolClient, text: string) {
    const t0 = performance.now();
    await client.query(text);
    onQuery?.({ query: text, params: [], ms: performance.now() - t0, at: performance.timeOrigin + t0 });
  }

  async function handle(req: IncomingMessage, body: string) {
    const conn = req.headers["neon-connection-string"];
    if (typeof conn !== "string") return { status: 400, json: { message: "missing Neon-Connection-String" } };
    const arrayMode = req.headers["neon-array-mode"] === "true";
    const payload = JSON.parse(body) as Query | { queries: Query[] };
    const client = await poolFor(conn).connect();
    try {
      if ("queries" in payload) {
        const iso = req.headers["neon-batch-isolation-level"];
        const readOnly = req.headers["neon-batch-read-only"] === "true";
        await control(
          client,
          `BEGIN${typeof iso === "string" ? ` ISOLATION LEVEL ${iso.replace(/([a-z])([A-Z])/g, "$1 $2").toUpperCase()}` : ""}${readOnly ? " READ ONLY" : ""}`,
        );
        try {
          const results = [];
          for (const q of payload.queries) results.push(await run(client, q, arrayMode));
          await control(client, "COMMIT");
          return { status: 200, json: { results } };
        } catch (err) {
          await client.query("ROLLBACK").catch(() => {});
          throw err;
        }
      }
      return { status: 200, json: await run(client, payload, arrayMode) };
    } finally {
      client.release();
    }
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://stand-in");
    const trips = tripsAnswer(distance, req.method, url);
    if (trips !== undefined) {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(trips);
      return;
    }
    countTrip(distance, "postgres", tripTag(url.pathname, req.headers["neon-connection-string"]));
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      await travel(distance);
      handle(req, Buffer.concat(chunks).toString("utf8"))
        .catch((err: Error & Record<string, unknown>) => ({
          status: 400,
          json: { message: err.message, code: err.code, detail: err.detail, hint: err.hint, position: err.position },
        }))
        .then(({ status, json }) => {
          res.writeHead(status, { "content-type": "application/json" });
          res.end(JSON.stringify(json));
        });
    });
  });

  return new Promise((resolve) => {
    server.listen(port, "127.0.0.1", () => {
      const address = server.address();
      const actual = typeof address === "object" && address ? address.port : port;
      resolve({
        url: `http://127.0.0.1:${actual}/sql`,
        close: async () => {
          server.closeAllConnections();
          await new Promise<void>((r) => server.close(() => r()));
          await Promise.all([...pools.values()].map((p) => p.end()));
        },
      });
    });
  });
}
