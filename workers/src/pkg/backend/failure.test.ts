import { describe, expect, it } from "vitest";
import { testEnv } from "../../../test/helpers";
import { getSql } from "../db";
import { BackendUnavailable } from "./bounds";
import { classifyBackendFailure } from "./failure";

/** The error the database really gives for `sql`, as the driver reports it. */
async function dbError(sql: string): Promise<unknown> {
  try {
    await getSql(testEnv).query(sql, []);
  } catch (err) {
    return err;
  }
  throw new Error(`expected ${sql} to fail`);
}

describe("the one mapping of backend failures", () => {
  it.each([
    ["invalid text representation", "SELECT '1e+22'::bigint"],
    ["numeric out of range", "SELECT 1e39::real"],
    ["datetime out of range", "SELECT '0000-01-01'::timestamptz"],
    ["NUL in text", "SELECT convert_from('\\x00'::bytea, 'UTF8')"],
  ])("a data exception from Postgres (%s) is a 400, not a 500", async (_, sql) => {
    const failure = classifyBackendFailure(await dbError(sql));
    expect(failure?.kind).toBe("data");
    expect(failure?.error.status).toBe(400);
    expect(failure?.error.code).toBe("VALIDATION_FAILED");
  });

  it("other SQL errors are not backend failures (they stay 500s: bugs)", async () => {
    expect(classifyBackendFailure(await dbError("SELECT * FROM no_such_table"))).toBeUndefined();
  });

  it("an unreachable or slow service is a 503 with Retry-After, wrapped or not", () => {
    const inner = new BackendUnavailable("database", "no answer within 10 ms");
    for (const err of [
      inner,
      Object.assign(new Error("Error connecting to database"), { sourceError: inner }),
      new Error("x", { cause: inner }),
    ]) {
      const failure = classifyBackendFailure(err);
      expect(failure?.kind).toBe("unavailable");
      expect(failure?.error.status).toBe(503);
      expect(failure?.error.headers?.["Retry-After"]).toBeDefined();
    }
    expect(classifyBackendFailure(Object.assign(new Error("too many connections"), { code: "53300" }))?.kind).toBe("unavailable");
    expect(classifyBackendFailure(new DOMException("timed out", "TimeoutError"))?.kind).toBe("unavailable");
  });

  it("a plain bug is not a backend failure", () => {
    expect(classifyBackendFailure(new TypeError("cannot read properties of undefined"))).toBeUndefined();
  });
});
