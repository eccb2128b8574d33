import { describe, expect, it } from "vitest";
import { call, unique } from "../../../../test/helpers";
import { insertProperties, sql } from "../../../../test/property-rows";
import { PropertyDetailResponseSchema } from "./schema";

describe("GET /api/v1/properties/{id}", () => {
  it("returns the item with description, features, images, sources, attributes and history", async () => {
    const city = unique("Detailton");
    const [id] = await insertProperties([
      {
        city,
        title: "Terrace house",
        description: "Three floors, a courtyard.",
        features: ["garage", "courtyard"],
        attributes: { council: "Inner West", photos: 12 },
        lat: -33.88,
        lng: 151.15,
        price: 1250000.5,
        primary_source: "agency-x",
        thumbnail_url: "https://img.example.test/1.jpg",
      },
    ]);
    await sql(
      `INSERT INTO property_images (property_id, url, position, source) VALUES ($1, 'https://img.example.test/2.jpg', 2, 'agency-x'),
         ($1, 'https://img.example.test/1.jpg', 1, 'agency-x')`,
      [id],
    );
    await sql(
      `INSERT INTO property_sources (property_id, source, source_listing_id, source_url, payload_hash, first_seen_at, last_seen_at)
       VALUES ($1, 'agency-x', 'L1', 'https://agency-x.example.test/L1', 'h', '2026-01-01T00:00:00Z', '2026-02-01T00:00:00Z'),
              ($1, 'portal-y', 'P9', 'https://portal-y.example.test/P9', 'h', '2026-01-05T00:00:00Z', '2026-01-06T00:00:00Z')`,
      [id],
    );
    await sql(
      `INSERT INTO property_events (property_id, type, old, new, source, occurred_at) VALUES
         ($1, 'listed', NULL, '{"price_minor": 130000000}', 'agency-x', '2026-01-01T00:00:00Z'),
         ($1, 'price_change', '{"price_minor": 130000000}', '{"price_minor": 125000050}', 'agency-x', '2026-01-20T00:00:00Z')`,
      [id],
    );
    const res = await call(`/api/v1/properties/${id}`);
    expect(res.status).toBe(200);
    const { data } = PropertyDetailResponseSchema.parse(await res.json());
    expect(data).toMatchObject({
      id,
      title: "Terrace house",
      price: 1250000.5,
      description: "Three floors, a courtyard.",
      features: ["garage", "courtyard"],
      attributes: { council: "Inner West", photos: 12 },
      location: { lat: -33.88, lng: 151.15 },
      thumbnail_url: "https://img.example.test/1.jpg",
      source: { name: "agency-x", url: "https://agency-x.example.test/L1" },
      images: [
        { url: "https://img.example.test/1.jpg", position: 1, source: "agency-x" },
        { url: "https://img.example.test/2.jpg", position: 2, source: "agency-x" },
      ],
      sources: [
        {
          name: "agency-x",
          listing_id: "L1",
          url: "https://agency-x.example.test/L1",
          first_seen_at: "2026-01-01T00:00:00.000Z",
        },
        { name: "portal-y", listing_id: "P9", url: "https://portal-y.example.test/P9", last_seen_at: "2026-01-06T00:00:00.000Z" },
      ],
      history: [
        { type: "listed", old: null, new: { price_minor: 130000000 }, source: "agency-x", at: "2026-01-01T00:00:00.000Z" },
        {
          type: "price_change",
          old: { price_minor: 130000000 },
          new: { price_minor: 125000050 },
          at: "2026-01-20T00:00:00.000Z",
        },
      ],
    });
    expect(res.headers.get("etag")).toBeTruthy();
  });

  it("returns empty lists for a property without children", async () => {
    const [id] = await insertProperties([{ city: unique("Bare") }]);
    const res = await call(`/api/v1/properties/${id}`);
    const { data } = PropertyDetailResponseSchema.parse(await res.json());
    expect(data).toMatchObject({ images: [], sources: [], history: [], features: [], attributes: {}, location: null });
  });
});
