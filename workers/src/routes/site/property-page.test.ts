import { describe, expect, it } from "vitest";
import { callWithEnv, testEnv, unique } from "../../../test/helpers";
import { insertProperty } from "../../../test/sse";
import { getSql } from "../../pkg/db";

// The built shell is a static file; this stand-in has the same head the Astro layout renders.
const SHELL =
  '<!doctype html><html><head><title>Property · Pillow</title><meta name="description" content="x"><meta property="og:title" content="x"><meta property="og:description" content="x"><meta property="og:type" content="website"><meta name="twitter:card" content="summary"></head><body><div id="property"></div></body></html>';
const ASSETS = {
  fetch: async (input: RequestInfo | URL) =>
    new URL(String(input instanceof Request ? input.url : input)).pathname === "/property/"
      ? new Response(SHELL, { headers: { "content-type": "text/html" } })
      : new Response("nope", { status: 404 }),
} as unknown as Fetcher;

describe("GET /property/{id}", () => {
  it("serves the shell with the property's share metadata", async () => {
    const city = unique("Sharetown");
    const id = await insertProperty(getSql(testEnv), { city, price: 612_000, bedrooms: 4, title: "Corner house & garden" });
    const res = await callWithEnv(`/property/${id}`, { ASSETS });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("<title>Corner house &amp; garden · $612,000 · Pillow</title>");
    expect(html).toMatch(/<meta property="og:title" content="Corner house &(amp;)? garden · \$612,000 · Pillow">/);
    expect(html).toContain(`4 bedrooms`);
    expect(html).toContain(`<link rel="canonical" href="http://localhost/property/${id}">`);
    expect(html).toContain('<div id="property">');
  });

  it("is 404 (with the shell, which shows the message) for unknown and malformed ids", async () => {
    for (const id of [crypto.randomUUID(), "not-a-uuid"]) {
      const res = await callWithEnv(`/property/${id}`, { ASSETS });
      expect(res.status).toBe(404);
      expect(await res.text()).toContain('<div id="property">');
    }
  });

  it("still serves the page when the database is down", async () => {
    const res = await callWithEnv(`/property/${crypto.randomUUID()}`, { ASSETS, DATABASE_URL: undefined });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("<title>Property · Pillow</title>");
  });
});
