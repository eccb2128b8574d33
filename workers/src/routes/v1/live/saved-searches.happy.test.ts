import { describe, expect, it } from "vitest";
import { unique } from "../../../../test/helpers";
import { createSavedSearch, jsonCall, userAuth } from "../saved-searches/test-helpers";
import { matchNewProperties, openStream, unreadOf } from "./test-helpers";

describe("GET /api/v1/live/saved-searches", () => {
  it("sends the unread total at once, again when matching records events, and when they are read", async () => {
    const auth = await userAuth();
    const town = unique("Unreadton");
    const search = await createSavedSearch(auth, { name: "watch", query: `city=${town}` });
    await createSavedSearch(auth, { name: "elsewhere", query: `city=${unique("Quietton")}` });
    const { events, initial } = await openStream(auth);
    expect(initial).toBe(0);

    await matchNewProperties(town, 2);
    expect(unreadOf(await events.next(10_000))).toBe(2);

    await matchNewProperties(town, 1);
    expect(unreadOf(await events.next(10_000))).toBe(3);

    // Opening the matches (the first page of events) marks them read: the count drops to 0.
    expect((await jsonCall(`/api/v1/saved-searches/${search.id}/events?limit=1`, "GET", auth)).status).toBe(200);
    expect(unreadOf(await events.next(10_000))).toBe(0);

    await matchNewProperties(town, 1);
    expect(unreadOf(await events.next(10_000))).toBe(1);
    expect((await jsonCall(`/api/v1/saved-searches/${search.id}/seen`, "POST", auth)).status).toBe(200);
    expect(unreadOf(await events.next(10_000))).toBe(0);
    await events.cancel();
  });

  it("starts with the total of every saved search, and ends after the requested timeout", async () => {
    const auth = await userAuth();
    const [a, b] = [unique("Firstford"), unique("Secondford")];
    await createSavedSearch(auth, { name: "a", query: `city=${a}` });
    await createSavedSearch(auth, { name: "b", query: `city=${b}` });
    await matchNewProperties(a, 1);
    await matchNewProperties(b, 2);
    const { events, initial } = await openStream(auth, 1);
    expect(initial).toBe(3);
    await expect(events.next(4_000)).rejects.toThrow("stream ended");
  });
});
