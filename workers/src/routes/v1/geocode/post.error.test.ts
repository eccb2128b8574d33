import { describe, expect, it } from "vitest";
import { fixtureTenant } from "../../../../test/fixtures";
import { bearerFor, callWithEnv } from "../../../../test/helpers";
import { GeocodeResponseSchema } from "./post";

async function post(body: string, nominatimUrl?: string) {
  return callWithEnv(
    "/api/v1/geocode",
    { NOMINATIM_URL: nominatimUrl },
    { method: "POST", headers: { Authorization: await bearerFor("user"), "Content-Type": "application/json" }, body },
  );
}

async function expectValidation(res: Response, field: string) {
  expect(res.status, await res.clone().text()).toBe(400);
  const body = (await res.json()) as { success: boolean; error: { code: string; message: string } };
  expect(body.success).toBe(false);
  expect(body.error.code).toBe("VALIDATION_FAILED");
  expect(body.error.message).toContain(field);
}

describe("POST /api/v1/geocode: bad requests are 400s naming the field", () => {
  it.each([
    ["a missing address", "{}", "address"],
    ["an empty address (the original Mill's INVALID_REQUEST, docs/geocoding.md)", JSON.stringify({ address: "   " }), "address"],
    ["an address that is not a string", JSON.stringify({ address: 42 }), "address"],
    ["an overlong address", JSON.stringify({ address: "x".repeat(501) }), "address"],
    ["an unknown country", JSON.stringify({ address: "1 Main St, Springfield, IL 62701", country: "FR" }), "country"],
  ])("rejects %s", async (_, body, field) => {
    await expectValidation(await post(body), field);
  });

  it("rejects unknown fields", async () => {
    const res = await post(JSON.stringify({ address: "10 Downing Street, London SW1A 2AA", lat: 1 }));
    expect(res.status).toBe(400);
  });

  it("rejects a body that is not JSON", async () => {
    const res = await post("address=1 Main St");
    expect(res.status).toBe(400);
  });
});

describe("POST /api/v1/geocode: addresses that cannot be geocoded", () => {
  it("answers PARSE_ERROR with empty components, as the original Mill did (docs/geocoding.md), without asking the provider", async () => {
    const t = fixtureTenant("geo-err");
    const res = await post(JSON.stringify({ address: "invalid address" }), t.base);
    expect(res.status).toBe(200);
    const { data } = GeocodeResponseSchema.parse(await res.json());
    expect(data).toMatchObject({ status: "PARSE_ERROR", components: {}, raw_input: "invalid address", location: null });
    expect(await t.requests()).toHaveLength(0);
  });

  it("rejects PO boxes as INVALID_REQUEST with a reason", async () => {
    const t = fixtureTenant("geo-err");
    const res = await post(JSON.stringify({ address: "PO Box 123, Fitzroy VIC 3065" }), t.base);
    const { data } = GeocodeResponseSchema.parse(await res.json());
    expect(data).toMatchObject({ status: "INVALID_REQUEST", components: {}, location: null });
    expect(data.message).toMatch(/PO box/i);
    expect(await t.requests()).toHaveLength(0);
  });

  it("answers from the gazetteer (not a 500) when the provider answers an HTML error page", async () => {
    const t = fixtureTenant("geo-err");
    await t.setNominatimMode("down");
    const res = await post(JSON.stringify({ address: "1 Hay Street, Perth WA 6000" }), t.base);
    const { data } = GeocodeResponseSchema.parse(await res.json());
    expect(data).toMatchObject({ status: "OK", provider: "gazetteer", fallback_reason: "provider_unavailable" });
  });
});
