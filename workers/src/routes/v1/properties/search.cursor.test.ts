/**
 * Keyset cursors under concurrent inserts: walking every page of a search while rows are added must
 * return each row that existed before the walk exactly once, for every sort. The data has the
 * awkward cases on purpose: equal keys (ties broken by id), NULL keys (their own segment), and ten
 * listings at one point (equal distances straddling the KNN cut).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { unique } from "../../../../test/helpers";
import { insertProperties, type PropertyRow, walkIds } from "../../../../test/property-rows";
import { SORTS } from "../../../pkg/search/sort";

const centre = { lat: -33.9, lng: 151.2 };

function row(city: string, i: number): PropertyRow {
  const tied = i % 3 === 0; // a third of the rows share one point, one price, one date
  return {
    city,
    price: i % 7 === 0 ? null : tied ? 750000 : 400000 + ((i * 37) % 20) * 25000,
    area_living_sqm: i % 5 === 0 ? null : 60 + (i % 4) * 20,
    listed_at: tied ? "2026-05-05T05:05:05.123456Z" : `2026-04-${String(1 + (i % 28)).padStart(2, "0")}T10:00:00Z`,
    updated_at: tied ? "2026-06-06T06:06:06.654321Z" : `2026-06-${String(1 + (i % 28)).padStart(2, "0")}T10:00:00Z`,
    lat: tied ? centre.lat + 0.05 : centre.lat + ((i * 13) % 40) / 1000,
    lng: tied ? centre.lng : centre.lng + ((i * 7) % 30) / 1000,
  };
}

describe("GET /api/v1/properties: cursor paging while rows are inserted", () => {
  const city = unique("Cursorton");
  let existing: string[] = [];
  beforeAll(async () => {
    existing = await insertProperties(Array.from({ length: 33 }, (_, i) => row(city, i)));
  });

  it.each(SORTS)("sort=%s returns every pre-existing row exactly once", async (sort) => {
    let n = 1000;
    const query = `city=${city}&sort=${sort}&limit=4&near=${centre.lat},${centre.lng}&radius_km=50`;
    const walked = await walkIds(query, async (page) => {
      // Two new rows after each of the first pages, with keys before and after the cursor (and in every tie group).
      if (page < 5) await insertProperties([row(city, n++), row(city, n++)]);
    });
    expect(new Set(walked).size).toBe(walked.length);
    for (const id of existing) expect(walked.filter((w) => w === id)).toHaveLength(1);
  });
});

describe("GET /api/v1/properties: a viewport newest first, paged while rows are inserted", () => {
  // Both shapes of the viewport query: rows newer than anything else are found by the walk of the
  // date index (the dense branch); old ones are not, so the cell index answers (the sparse branch).
  it.each([
    ["dense", 2031],
    ["sparse", 2001],
  ])("the %s branch returns every pre-existing row exactly once", async (_, year) => {
    // A box of its own, somewhere no other test puts listings.
    const lat = -58 + Math.random() * 4;
    const lng = -150 + Math.random() * 40;
    const city = unique("Viewport");
    const at = (i: number) => ({
      city,
      lat: lat + ((i * 13) % 40) / 4000,
      lng: lng + ((i * 7) % 30) / 4000,
      // A third share one timestamp: ties broken by id.
      listed_at: i % 3 === 0 ? `${year}-05-05T05:05:05.123456Z` : `${year}-04-${String(1 + (i % 28)).padStart(2, "0")}T10:00:00Z`,
    });
    const existing = await insertProperties(Array.from({ length: 33 }, (_, i) => at(i)));
    let n = 1000;
    const bbox = [lng - 0.001, lat - 0.001, lng + 0.02, lat + 0.02].join(",");
    const walked = await walkIds(`bbox=${bbox}&limit=4`, async (page) => {
      if (page < 5) await insertProperties([at(n++), at(n++)]);
    });
    expect(new Set(walked).size).toBe(walked.length);
    for (const id of existing) expect(walked.filter((w) => w === id)).toHaveLength(1);
  });
});
