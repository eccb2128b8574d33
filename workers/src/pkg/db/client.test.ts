import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { testEnv } from "../../../test/helpers";
import { failureChain } from "../backend/failure";
import { ApiError } from "../errors";
import { getDb, getSql, queryRows, withTransaction } from "./index";

/** What a call rejected with. */
async function rejection(run: () => Promise<unknown>): Promise<unknown> {
  try {
    await run();
  } catch (err) {
    return err;
  }
  throw new Error("expected the call to fail");
}

/** The API error a failure answers with: the error itself, or one a library wrapped. */
const apiErrorOf = (err: unknown) => failureChain(err).find((e): e is ApiError => e instanceof ApiError);

const BAD_VALUE = "SELECT '1e+22'::bigint AS n";

describe("every way to the database fails the same way", () => {
  it.each([
    ["getSql", () => getSql(testEnv).query(BAD_VALUE, [])],
    ["getSql (template)", () => getSql(testEnv)`SELECT ${"1e+22"}::bigint AS n`],
    ["getSql (transaction)", () => getSql(testEnv).transaction((q) => [q.query(BAD_VALUE, [])])],
    ["queryRows", () => queryRows(testEnv, { text: BAD_VALUE, values: [] })],
    ["queryRows (settings)", () => queryRows(testEnv, { text: BAD_VALUE, values: [], settings: { jit: "off" } })],
    ["getDb", () => getDb(testEnv).execute(sql.raw(BAD_VALUE))],
    ["withTransaction", () => withTransaction(testEnv, ({ client }) => client.query(BAD_VALUE))],
  ])("a value the column cannot hold is a 400 through %s", async (_, run) => {
    const api = apiErrorOf(await rejection(run));
    expect(api?.status).toBe(400);
    expect(api?.code).toBe("VALIDATION_FAILED");
  });

  it("an unreachable database is a 503, whichever way in", async () => {
    const down = { ...testEnv, NEON_HTTP_ENDPOINT: "http://127.0.0.1:9/sql", DB_TIMEOUT_MS: "2000" };
    for (const run of [() => getSql(down).query("SELECT 1", []), () => getDb(down).execute(sql`SELECT 1`)]) {
      const api = apiErrorOf(await rejection(run));
      expect(api?.status).toBe(503);
      expect(api?.code).toBe("SERVICE_UNAVAILABLE");
    }
  });

  it("other errors are thrown as the driver threw them: SQLSTATE kept (ingest retries by it), no API error", async () => {
    const missing = await rejection(() => getSql(testEnv).query("SELECT * FROM no_such_table", []));
    expect(apiErrorOf(missing)).toBeUndefined();
    expect((missing as { code?: string }).code).toBe("42P01");

    const duplicate = await rejection(() =>
      withTransaction(testEnv, async ({ client }) => {
        await client.query("CREATE TEMP TABLE dup (x int PRIMARY KEY) ON COMMIT DROP");
        await client.query("INSERT INTO dup VALUES (1), (1)");
      }),
    );
    expect(apiErrorOf(duplicate)).toBeUndefined();
    expect((duplicate as { code?: string }).code).toBe("23505");
  });

  it("answers as before when nothing fails", async () => {
    expect(await getSql(testEnv).query("SELECT 2 AS n", [])).toEqual([{ n: 2 }]);
    expect(await queryRows(testEnv, { text: "SELECT $1::int AS n", values: [3], settings: { jit: "off" } })).toEqual([{ n: 3 }]);
    expect(await withTransaction(testEnv, async ({ client }) => (await client.query("SELECT 4 AS n")).rows)).toEqual([{ n: 4 }]);
  });
});
