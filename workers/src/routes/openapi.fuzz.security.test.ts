/**
 * Property-based fuzzing of the whole API from its served OpenAPI document (workers/test/fuzz/requests.ts
 * builds the requests). Every answer must be one the document allows: never a 5xx, every error in the
 * envelope with a code that matches its status, every 2xx JSON body valid against the operation's
 * documented schema. Requests go to the Worker in-process, so a few thousand run within a minute.
 *
 * The seed is fixed so `npm test` is repeatable; `npm run fuzz -- --runs N [--seed S]` runs longer or
 * other sequences (FUZZ_RUNS / FUZZ_SEED bindings). A failure prints the shrunk request and the seed.
 */
import { type Schema as JsonSchema, Validator } from "@cfworker/json-schema";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import {
  type Auth,
  endpoints,
  type FuzzContext,
  type FuzzRequest,
  type OpenApiDoc,
  requestFor,
  type Schema,
} from "../../test/fuzz/requests";
import { bearerFor, call, jwtBearerFor, testEnv, unique } from "../../test/helpers";
import { insertProperties } from "../../test/property-rows";
import { errorStatus } from "../pkg/errors";

const DEFAULT_RUNS = 3000;
const DEFAULT_SEED = 21;
/** Requests in flight at once. */
const CONCURRENCY = 8;
/** No request may take longer; a hang is a failure, not a stuck run. */
const REQUEST_TIMEOUT_MS = 10_000;

const runs = Number(testEnv.FUZZ_RUNS) || DEFAULT_RUNS;
const seed = Number(testEnv.FUZZ_SEED) || DEFAULT_SEED;

type Outcome = { status: number; contentType: string; body: unknown };

async function send(req: FuzzRequest, tokens: Record<Auth, string | undefined>): Promise<Outcome> {
  const headers = { ...req.init.headers };
  const token = tokens[req.auth];
  if (token) headers.Authorization = token;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${REQUEST_TIMEOUT_MS} ms`)), REQUEST_TIMEOUT_MS);
  });
  try {
    return await Promise.race([
      (async () => {
        const res = await call(req.url, { ...req.init, headers });
        const contentType = res.headers.get("content-type") ?? "";
        if (contentType.startsWith("text/event-stream")) {
          // A live stream stays open: its status and headers are the answer.
          await res.body?.cancel();
          return { status: res.status, contentType, body: undefined };
        }
        const text = await res.text();
        let body: unknown = text;
        if (contentType.includes("json") && text) body = JSON.parse(text);
        return { status: res.status, contentType, body };
      })(),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

function schemaValidator(doc: OpenApiDoc) {
  const cache = new Map<Schema, Validator>();
  return (schema: Schema, value: unknown) => {
    let v = cache.get(schema);
    if (!v) {
      // The operation's schema with the document's components beside it, so `#/components/…` refs resolve.
      v = new Validator({ ...schema, components: doc.components } as unknown as JsonSchema, "2020-12", false);
      cache.set(schema, v);
    }
    return v.validate(value);
  };
}

describe("fuzzing every operation of the OpenAPI document", () => {
  let doc: OpenApiDoc;
  let context: FuzzContext;
  const tokens: Record<Auth, string | undefined> = {
    none: undefined,
    malformed: "Bearer pil_not-a-token",
    user: "",
    service: "",
    admin: "",
  };

  beforeAll(async () => {
    doc = (await (await call("/api/v1/openapi.json")).json()) as OpenApiDoc;
    const city = unique("Fuzzton");
    const propertyIds = await insertProperties(
      [1, 2, 3, 4].map((i) => ({ city, price: 100000 * i, area_living_sqm: 40 + i, lat: -31 - i / 100, lng: 151 + i / 100 })),
    );
    const page = (await (await call(`/api/v1/properties?city=${city}&limit=1`)).json()) as {
      pagination: { next_cursor: string };
    };
    context = { propertyIds, cursor: page.pagination.next_cursor, city, source: `${unique("fuzz")}.example` };
    tokens.user = await jwtBearerFor("user");
    tokens.admin = await jwtBearerFor("admin");
    tokens.service = await bearerFor("service", { service: "fuzz" });
  });

  it(`answers ${runs} generated requests (seed ${seed}) only as the document allows`, {
    timeout: Math.max(300_000, runs * 100),
  }, async () => {
    const all = endpoints(doc);
    expect(all.length).toBeGreaterThan(15);
    const validate = schemaValidator(doc);
    const requests = fc.oneof(...all.map((e) => requestFor(doc, e, context)));
    const seen = new Set<string>();
    let sent = 0;

    const check = async (req: FuzzRequest) => {
      seen.add(`${req.endpoint.method} ${req.endpoint.path}`);
      sent++;
      const out = await send(req, tokens);
      const where = `${req.init.method} ${req.url} (${req.auth}) → ${out.status} ${JSON.stringify(out.body)?.slice(0, 500)}`;
      if (out.status >= 500) throw new Error(`server error: ${where}`);
      if (out.status >= 400) {
        const body = out.body as { success?: unknown; error?: { code?: string; message?: unknown; request_id?: unknown } };
        if (body?.success !== false || typeof body.error?.message !== "string" || typeof body.error?.request_id !== "string") {
          throw new Error(`error outside the envelope: ${where}`);
        }
        const code = body.error.code as keyof typeof errorStatus;
        if (errorStatus[code] !== out.status) throw new Error(`error code does not match the status: ${where}`);
        if (!req.endpoint.op.responses[String(out.status)]) {
          throw new Error(`error status the document does not list for this operation: ${where}`);
        }
        return;
      }
      const response = req.endpoint.op.responses[String(out.status)];
      if (!response) throw new Error(`undocumented status: ${where}`);
      const media = Object.entries(response.content ?? {}).find(([type]) => out.contentType.startsWith(type));
      if (media && out.contentType.includes("json")) {
        const result = validate(media[1].schema, out.body);
        if (!result.valid)
          throw new Error(`2xx does not match its schema: ${where}\n${JSON.stringify(result.errors.slice(0, 3))}`);
      }
    };

    // Requests go out CONCURRENCY at a time (clients do not wait for each other either); a failing
    // batch shrinks towards the simplest request that still fails.
    await fc.assert(
      fc.asyncProperty(fc.array(requests, { minLength: CONCURRENCY, maxLength: CONCURRENCY }), async (batch) => {
        await Promise.all(batch.map(check));
      }),
      {
        numRuns: Math.ceil(runs / CONCURRENCY),
        seed,
        endOnFailure: true,
      },
    );
    expect(sent).toBeGreaterThanOrEqual(runs);
    // Every operation was tried.
    expect([...seen].sort()).toEqual(all.map((e) => `${e.method} ${e.path}`).sort());
  });
});
