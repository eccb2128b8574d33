import { describe, expect, it } from "vitest";
import { eventsFor, type Search } from "./match";
import { parseSavedQuery } from "./query";

const search = (events: string[], query = "city=Hobart"): Search => ({
  id: "s",
  filters: parseSavedQuery(query).filters,
  events: new Set(events),
  createdAt: Date.parse("2026-12-01T00:00:00Z"),
  propertyIds: ["p"],
});
const at = "2026-12-02T00:00:00Z";
const drop = {
  id: "10",
  property_id: "p",
  type: "price_change",
  old: { price: 900, currency: "AUD" },
  new: { price: 800, currency: "AUD" },
  at,
};
const sale = { id: "11", property_id: "p", type: "status_change", old: { status: "active" }, new: { status: "sold" }, at };

describe("eventsFor", () => {
  const all = ["new_match", "price_drop", "status_change", "back_on_market"];

  it("matched after a price drop and a sale were both written: a new match, the drop and the sale", () => {
    const kinds = eventsFor(search(all), "p", false, [drop, sale]).map((e) => e.kind);
    expect(kinds).toEqual(["new_match", "price_drop", "status_change"]);
  });

  it("a price drop while sold is not reported; a sale of a listing the search did not want is not either", () => {
    const afterSale = { ...drop, id: "12" };
    expect(eventsFor(search(all), "p", false, [sale, afterSale]).map((e) => e.kind)).toEqual(["new_match", "status_change"]);
    const rentals = search(all, "city=Hobart&status=pending");
    expect(eventsFor(rentals, "p", false, [sale])).toEqual([]);
  });

  it("history from before the search was saved, and events not asked for, give nothing", () => {
    expect(eventsFor(search(all), "p", true, [{ ...drop, at: "2026-11-01T00:00:00Z" }]).map((e) => e.kind)).toEqual([
      "new_match",
    ]);
    expect(eventsFor(search(["status_change"]), "p", true, [drop])).toEqual([]);
  });

  it("keys each event by the history row that caused it (0 for a new match)", () => {
    const events = eventsFor(search(all), "p", true, [drop]);
    expect(events.map((e) => [e.kind, e.change_version])).toEqual([
      ["new_match", "0"],
      ["price_drop", "10"],
    ]);
    expect(events[1]?.data).toEqual({ old_price: 900, new_price: 800, currency: "AUD" });
  });
});
