/**
 * A service token ingests only under the source names it was minted for (docs/auth.md "Service
 * tokens"): items under other sources are refused one by one (403 in the item's result), so a token
 * cannot overwrite or withdraw what other sources list. The checks go through the API with real tokens.
 */
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { bearerFor, call, testEnv } from "../../../../test/helpers";
import { sampleItem } from "../../../../test/listings";
import { generateApiToken, sha256Hex } from "../../../pkg/auth";
import { getDb, schema } from "../../../pkg/db";

type BatchResult = { index: number; outcome: string; status?: number; id?: string; errors?: Array<{ path: string }> };
type BatchBody = { data: { results: BatchResult[]; totals: Record<string, number> } };

function post(path: string, auth: string, body: unknown) {
  return call(path, {
    method: "POST",
    headers: { Authorization: auth, "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
}

const batch = (auth: string, items: unknown[]) => post("/api/v1/properties/batch", auth, { items });

async function detail(id: string) {
  const res = await call(`/api/v1/properties/${id}`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { data: { status: string; price: number; sources: Array<{ name: string }> } }).data;
}

describe("service tokens are bound to their sources", () => {
  it("a batch with an item under a foreign source: that item alone is 403, the others are stored", async () => {
    const auth = await bearerFor("service", { sources: ["own.example"] });
    const foreign = sampleItem({ source: "foreign.example" });
    const res = await batch(auth, [
      sampleItem({ source: "own.example" }),
      foreign,
      sampleItem({ source: "  OWN.example " }), // normalised like the pipeline does: still own.example
      sampleItem({ source: "" }), // invalid: reported by the pipeline, not as forbidden
    ]);
    expect(res.status, await res.clone().text()).toBe(200);
    const { data } = (await res.json()) as BatchBody;
    expect(data.results.map((r) => [r.index, r.outcome])).toEqual([
      [0, "created"],
      [1, "forbidden"],
      [2, "created"],
      [3, "invalid"],
    ]);
    expect(data.results[1]).toMatchObject({ status: 403, errors: [{ path: "source" }] });
    expect(data.results[1]?.id).toBeUndefined();
    expect(data.totals).toMatchObject({ received: 4, created: 2, invalid: 1, forbidden: 1 });
    // Nothing of the refused item reached the database.
    const s = schema.propertySources;
    const stored = await getDb(testEnv)
      .select({ id: s.propertyId })
      .from(s)
      .where(and(eq(s.source, "foreign.example"), eq(s.sourceListingId, foreign.source_listing_id)));
    expect(stored).toEqual([]);
  });

  it("a single item under a foreign source is 403 FORBIDDEN, and nothing is stored", async () => {
    const auth = await bearerFor("service", { sources: ["own.example"] });
    const item = sampleItem({ source: "foreign.example" });
    const res = await post("/api/v1/properties", auth, item);
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ success: false, error: { code: "FORBIDDEN" } });
    const again = await post("/api/v1/properties", await bearerFor("service", { sources: ["foreign.example"] }), item);
    expect(again.status, "the listing was not stored by the refused request").toBe(201);
  });

  it("an unrelated source cannot withdraw a property other sources list, neither under their name nor its own", async () => {
    const importer = await bearerFor("service", { sources: ["*"] });
    const first = sampleItem({ source: "portal-a.example" });
    const second = sampleItem({ source: "portal-b.example", address: first.address, location: first.location });
    const made = (await (await batch(importer, [first, second])).json()) as BatchBody;
    const id = made.data.results[0]?.id as string;
    expect(made.data.results[1]?.id).toBe(id);
    expect((await detail(id)).sources.map((s) => s.name).sort()).toEqual(["portal-a.example", "portal-b.example"]);

    const rogue = await bearerFor("service", { sources: ["rogue.example"] });
    // Under another source's name, with that source's listing id: refused.
    const asA = await batch(rogue, [{ ...first, status: "withdrawn", price: 1 }]);
    expect(((await asA.json()) as BatchBody).data.results[0]).toMatchObject({ outcome: "forbidden", status: 403 });
    expect((await post("/api/v1/properties", rogue, { ...second, status: "withdrawn", price: 1 })).status).toBe(403);
    // Under its own name, at the same address: a report of its own, which cannot end what others list active.
    const own = sampleItem({
      source: "rogue.example",
      address: first.address,
      location: first.location,
      status: "withdrawn",
      price: 1,
    });
    expect((await batch(rogue, [own])).status).toBe(200);

    const after = await detail(id);
    expect(after.status).toBe("active");
    expect(after.price).toBe(first.price);
  });

  it("an admin narrowing a token's sources takes effect on its next request", async () => {
    const admin = await bearerFor("admin");
    const minted = await post("/api/v1/admin/service-tokens", admin, { service: "narrowed", sources: ["*"] });
    const { id, token } = ((await minted.json()) as { data: { id: string; token: string } }).data;
    const auth = `Bearer ${token}`;
    expect(
      ((await (await batch(auth, [sampleItem({ source: "wide.example" })])).json()) as BatchBody).data.results[0]?.outcome,
    ).toBe("created");
    const patched = await call(`/api/v1/admin/service-tokens/${id}`, {
      method: "PATCH",
      headers: { Authorization: admin, "Content-Type": "application/json" },
      body: JSON.stringify({ sources: ["narrow.example"] }),
    });
    expect(patched.status).toBe(200);
    const results = (
      (await (
        await batch(auth, [sampleItem({ source: "wide.example" }), sampleItem({ source: "narrow.example" })])
      ).json()) as BatchBody
    ).data.results;
    expect(results.map((r) => r.outcome)).toEqual(["forbidden", "created"]);
  });

  it("a service token without sources (minted outside the API without a grant) may ingest nothing", async () => {
    const token = generateApiToken();
    await getDb(testEnv)
      .insert(schema.apiTokens)
      .values({
        name: "no grant",
        tokenHash: await sha256Hex(token),
        prefix: token.slice(0, 10),
        role: "service",
        service: "bare",
      });
    const res = await batch(`Bearer ${token}`, [sampleItem(), sampleItem({ source: "other.example" })]);
    expect(res.status).toBe(200);
    expect(((await res.json()) as BatchBody).data.results.map((r) => r.outcome)).toEqual(["forbidden", "forbidden"]);
  });
});
