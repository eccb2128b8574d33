import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { call, callWithEnv } from "../../../../test/helpers";
import { db, postJson, sampleItem, serviceBearer } from "../../../../test/listings";

async function expectError(res: Response, status: number, code: string) {
  expect(res.status, await res.clone().text()).toBe(status);
  const body = (await res.json()) as {
    success: false;
    error: { code: string; message: string; details?: Array<{ path: string }> };
  };
  expect(body.error.code).toBe(code);
  return body;
}

async function stored(item: { source_listing_id: string }): Promise<number> {
  const { rows } = await db().execute(
    sql`SELECT count(*)::int AS n FROM property_sources WHERE source = 'test.example' AND source_listing_id = ${item.source_listing_id}`,
  );
  return rows[0]!.n as number;
}

describe("POST /api/v1/properties errors", () => {
  it("answers an invalid item with 400 naming the fields, and stores nothing", async () => {
    const item = sampleItem({ location: { lat: 95, lng: 10 }, price: -3 });
    const body = await expectError(await postJson("/api/v1/properties", item), 400, "VALIDATION_FAILED");
    expect(body.error.details!.map((d) => d.path).sort()).toEqual(["location.lat", "price"]);
    expect(await stored(item)).toBe(0);
  });

  it("answers malformed JSON with 400 and a wrong content type with 415", async () => {
    const auth = await serviceBearer();
    const malformed = await call("/api/v1/properties", {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: auth },
      body: "{",
    });
    await expectError(malformed, 400, "VALIDATION_FAILED");
    const text = await call("/api/v1/properties", {
      method: "POST",
      headers: { "Content-Type": "text/csv", Authorization: auth },
      body: JSON.stringify(sampleItem()),
    });
    await expectError(text, 415, "UNSUPPORTED_MEDIA_TYPE");
    const none = await call("/api/v1/properties", {
      method: "POST",
      headers: { Authorization: auth },
      body: JSON.stringify(sampleItem()),
    });
    await expectError(none, 415, "UNSUPPORTED_MEDIA_TYPE");
  });

  it("answers a reused Idempotency-Key with a different body with 422 and replays the same body", async () => {
    const key = crypto.randomUUID();
    const item = sampleItem();
    const first = await postJson("/api/v1/properties", item, { "Idempotency-Key": key });
    expect(first.status).toBe(201);
    const replay = await postJson("/api/v1/properties", item, { "Idempotency-Key": key });
    expect(replay.status).toBe(201);
    expect(replay.headers.get("Idempotent-Replayed")).toBe("true");
    expect(await replay.text()).toBe(await first.text());
    await expectError(
      await postJson("/api/v1/properties", { ...item, price: 1 }, { "Idempotency-Key": key }),
      422,
      "UNPROCESSABLE",
    );
  });

  it("answers 503 when an Idempotency-Key is given but Redis is down, and still ingests without one", async () => {
    const auth = await serviceBearer();
    const redisDown = { UPSTASH_REDIS_REST_URL: "http://127.0.0.1:9" };
    const init = (body: unknown, headers: Record<string, string> = {}) => ({
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: auth, ...headers },
      body: JSON.stringify(body),
    });
    const keyed = sampleItem();
    await expectError(
      await callWithEnv("/api/v1/properties", redisDown, init(keyed, { "Idempotency-Key": crypto.randomUUID() })),
      503,
      "SERVICE_UNAVAILABLE",
    );
    expect(await stored(keyed)).toBe(0);
    const plain = sampleItem();
    expect((await callWithEnv("/api/v1/properties", redisDown, init(plain))).status).toBe(201);
    expect(await stored(plain)).toBe(1);
  });
});
