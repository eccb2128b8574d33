import { describe, expect, it } from "vitest";
import type { ErrorEnvelope } from "../../../../test/helpers";
import { jsonCall, userAuth } from "./test-helpers";

describe("POST /api/v1/saved-searches with bad input", () => {
  it.each([
    ["no name", { query: "city=Hobart" }, "name"],
    ["no query", { name: "x" }, "query"],
    ["a price that is not a number (the search's own check)", { name: "x", query: "min_price=abc" }, "query.min_price"],
    ["an unknown search parameter", { name: "x", query: "city=Hobart&colour=blue" }, "query.colour"],
    ["min_price above max_price (the search parser's check)", { name: "x", query: "min_price=5&max_price=1" }, "query.min_price"],
    ["a radius without near", { name: "x", query: "radius_km=5" }, "query.radius_km"],
    ["a broken polygon", { name: "x", query: "polygon=1,2;3" }, "query.polygon"],
    ["a repeated parameter", { name: "x", query: "city=Hobart&city=Perth" }, "query.city"],
    ["an unknown event", { name: "x", query: "city=Hobart", events: ["sold_out"] }, "events"],
    ["no events", { name: "x", query: "city=Hobart", events: [] }, "events"],
    ["a webhook URL that is not http(s)", { name: "x", query: "city=Hobart", webhook_url: "ftp://example.com/x" }, "webhook_url"],
    [
      "a private webhook address (the SSRF guard)",
      { name: "x", query: "city=Hobart", webhook_url: "http://10.0.0.1/hook" },
      "webhook_url",
    ],
    ["an internal host name", { name: "x", query: "city=Hobart", webhook_url: "http://localhost/hook" }, "webhook_url"],
    [
      "credentials in the webhook URL",
      { name: "x", query: "city=Hobart", webhook_url: "https://u:p@example.com/" },
      "webhook_url",
    ],
    ["an unknown field", { name: "x", query: "city=Hobart", user_id: "someone" }, ""],
  ])("is 400 naming the field for %s", async (_, body, field) => {
    const res = await jsonCall("/api/v1/saved-searches", "POST", await userAuth(), body);
    const json = (await res.json()) as ErrorEnvelope;
    expect(res.status, JSON.stringify(json)).toBe(400);
    expect(json.error.code).toBe("VALIDATION_FAILED");
    expect(json.error.message).toContain(field);
  });

  it("is 413 for an oversized body and 415 for another content type", async () => {
    const auth = await userAuth();
    expect((await jsonCall("/api/v1/saved-searches", "POST", auth, { name: "x", query: "q=".padEnd(200_000, "a") })).status).toBe(
      413,
    );
    const res = await jsonCall("/api/v1/saved-searches", "POST", auth);
    expect([400, 415]).toContain(res.status);
  });
});
