import { describe, expect, it } from "vitest";
import { testEnv } from "../../../../test/helpers";
import { getSql } from "../../../pkg/db";
import { createSavedSearch, jsonCall, userAuth } from "./test-helpers";
import { UpdateSavedSearchResponseSchema } from "./update";

const predicates = async (id: string) =>
  (await getSql(testEnv).query(
    "SELECT anchor, country, city_key FROM saved_search_predicates WHERE saved_search_id = $1 ORDER BY country",
    [id],
  )) as unknown as Array<{ anchor: string; country: string | null; city_key: string | null }>;

describe("PATCH /api/v1/saved-searches/{id}", () => {
  it("changes the fields given, re-indexes a new query, pauses and resumes", async () => {
    const auth = await userAuth();
    const made = await createSavedSearch(auth);
    const res = await jsonCall(`/api/v1/saved-searches/${made.id}`, "PATCH", auth, {
      name: "Anywhere in NZ or AU",
      query: "country=nz,au",
      events: ["status_change"],
      paused: true,
    });
    expect(res.status, await res.clone().text()).toBe(200);
    const { data } = UpdateSavedSearchResponseSchema.parse(await res.json());
    expect(data).toMatchObject({
      name: "Anywhere in NZ or AU",
      query: "country=nz%2Cau",
      events: ["status_change"],
      paused: true,
    });
    expect(data.webhook_secret).toBeNull();
    expect(await predicates(made.id)).toEqual([
      { anchor: "country", country: "AU", city_key: null },
      { anchor: "country", country: "NZ", city_key: null },
    ]);
    const resumed = await jsonCall(`/api/v1/saved-searches/${made.id}`, "PATCH", auth, { paused: false });
    expect(((await resumed.json()) as { data: { paused: boolean } }).data.paused).toBe(false);
  });

  it("creates a secret with the first webhook_url (shown then), keeps it on a later URL change, drops it with null", async () => {
    const auth = await userAuth();
    const made = await createSavedSearch(auth);
    const first = UpdateSavedSearchResponseSchema.parse(
      await (
        await jsonCall(`/api/v1/saved-searches/${made.id}`, "PATCH", auth, { webhook_url: "https://a.example.com/h" })
      ).json(),
    );
    expect(first.data.webhook_secret).toMatch(/^whsec_/);
    const second = UpdateSavedSearchResponseSchema.parse(
      await (
        await jsonCall(`/api/v1/saved-searches/${made.id}`, "PATCH", auth, { webhook_url: "https://b.example.com/h" })
      ).json(),
    );
    expect(second.data.webhook_secret).toBeNull();
    const [row] = (await getSql(testEnv).query("SELECT webhook_secret FROM saved_searches WHERE id = $1", [
      made.id,
    ])) as unknown as [{ webhook_secret: string }];
    expect(row.webhook_secret).toBe(first.data.webhook_secret);
    const cleared = await jsonCall(`/api/v1/saved-searches/${made.id}`, "PATCH", auth, { webhook_url: null });
    expect(((await cleared.json()) as { data: { webhook_url: null; webhook_enabled: boolean } }).data).toMatchObject({
      webhook_url: null,
      webhook_enabled: false,
    });
  });

  it("re-enables a webhook disabled after failures", async () => {
    const auth = await userAuth();
    const made = await createSavedSearch(auth, { webhook_url: "https://a.example.com/h" });
    await getSql(testEnv).query(
      "UPDATE saved_searches SET webhook_disabled_at = now(), webhook_disabled_reason = 'test', webhook_failures = 3 WHERE id = $1",
      [made.id],
    );
    const got = await (await jsonCall(`/api/v1/saved-searches/${made.id}`, "GET", auth)).json();
    expect(got).toMatchObject({ data: { webhook_enabled: false, webhook_disabled_reason: "test" } });
    const res = await jsonCall(`/api/v1/saved-searches/${made.id}`, "PATCH", auth, { webhook_enabled: true });
    expect(await res.json()).toMatchObject({ data: { webhook_enabled: true, webhook_disabled_reason: null } });
  });

  it("is 400 for an empty body, a bad query, or webhook_enabled: false", async () => {
    const auth = await userAuth();
    const made = await createSavedSearch(auth);
    for (const body of [{}, { query: "min_bedrooms=-1" }, { webhook_enabled: false }]) {
      const res = await jsonCall(`/api/v1/saved-searches/${made.id}`, "PATCH", auth, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
  });
});

describe("POST /api/v1/saved-searches/{id}/rotate-secret and DELETE", () => {
  it("rotates to a new secret shown once; 422 without a webhook", async () => {
    const auth = await userAuth();
    const made = await createSavedSearch(auth, { webhook_url: "https://a.example.com/h" });
    const res = await jsonCall(`/api/v1/saved-searches/${made.id}/rotate-secret`, "POST", auth);
    expect(res.status).toBe(200);
    const secret = ((await res.json()) as { data: { webhook_secret: string } }).data.webhook_secret;
    expect(secret).toMatch(/^whsec_/);
    expect(secret).not.toBe(made.webhook_secret);
    const plain = await createSavedSearch(auth);
    const refused = await jsonCall(`/api/v1/saved-searches/${plain.id}/rotate-secret`, "POST", auth);
    expect(refused.status).toBe(422);
  });

  it("deletes the search with its predicates; the second time is 404", async () => {
    const auth = await userAuth();
    const made = await createSavedSearch(auth);
    expect((await jsonCall(`/api/v1/saved-searches/${made.id}`, "DELETE", auth)).status).toBe(200);
    expect(await predicates(made.id)).toEqual([]);
    expect((await jsonCall(`/api/v1/saved-searches/${made.id}`, "DELETE", auth)).status).toBe(404);
    expect((await jsonCall(`/api/v1/saved-searches/${made.id}`, "GET", auth)).status).toBe(404);
  });
});
