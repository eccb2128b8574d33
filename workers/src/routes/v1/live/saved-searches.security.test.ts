import { describe, expect, it } from "vitest";
import { unique } from "../../../../test/helpers";
import { runCommonRouteTests } from "../../../../test/security";
import { createSavedSearch, userAuth } from "../saved-searches/test-helpers";
import { matchNewProperties, openStream, unreadOf } from "./test-helpers";

// timeout=1: the stream ends after a second, so the shared tests can read the whole answer.
runCommonRouteTests({ method: "GET", path: "/api/v1/live/saved-searches?timeout=1", allowed: ["user"] });

describe("GET /api/v1/live/saved-searches: each account hears only its own counts", () => {
  it("a match for one account's search reaches its streams only; the other's next event is its own total", async () => {
    const [a, b] = await Promise.all([userAuth(), userAuth()]);
    const [townA, townB] = [unique("Alphaville"), unique("Betaburg")];
    await createSavedSearch(a, { name: "a", query: `city=${townA}` });
    await createSavedSearch(b, { name: "b", query: `city=${townB}` });
    // Two streams of A (two tabs) and one of B.
    const [a1, a2, b1] = await Promise.all([openStream(a), openStream(a), openStream(b)]);
    expect([a1.initial, a2.initial, b1.initial]).toEqual([0, 0, 0]);

    await matchNewProperties(townA, 1);
    expect(unreadOf(await a1.events.next(10_000))).toBe(1);
    expect(unreadOf(await a2.events.next(10_000))).toBe(1);

    // B's stream got nothing from A's match: the next thing it hears is its own total (3), not A's 1.
    await matchNewProperties(townB, 3);
    expect(unreadOf(await b1.events.next(10_000))).toBe(3);
    // …and A's streams hear nothing of B's: their next event is A's own new total.
    await matchNewProperties(townA, 1);
    expect(unreadOf(await a1.events.next(10_000))).toBe(2);
    expect(unreadOf(await a2.events.next(10_000))).toBe(2);
    await Promise.all([a1, a2, b1].map((s) => s.events.cancel()));
  });

  it("a property both accounts' searches match gives each account its own total", async () => {
    const [a, b] = await Promise.all([userAuth(), userAuth()]);
    const town = unique("Sharedham");
    await createSavedSearch(a, { name: "a", query: `city=${town}` });
    await createSavedSearch(b, { name: "b1", query: `city=${town}` });
    await createSavedSearch(b, { name: "b2", query: `city=${town}&min_bedrooms=1` });
    const [sa, sb] = await Promise.all([openStream(a), openStream(b)]);
    await matchNewProperties(town, 1);
    expect(unreadOf(await sa.events.next(10_000))).toBe(1);
    expect(unreadOf(await sb.events.next(10_000))).toBe(2);
    await Promise.all([sa, sb].map((s) => s.events.cancel()));
  });
});
