/**
 * Seed data for the browser tests, written with SQL into the browser tests' own database: two
 * neighbourhoods about 12 km apart in one made-up city (so "move the map" changes the list), a spread
 * of prices and bedrooms (so filters have something to exclude), one property with a price history,
 * and a service token for ingest.
 */
import { createHash, randomBytes } from "node:crypto";
import pg from "pg";

export type Seed = {
  city: string;
  serviceToken: string;
  historyPropertyId: string;
  /** [minLng, minLat, maxLng, maxLat] around each neighbourhood. */
  west: [number, number, number, number];
  east: [number, number, number, number];
  westIds: string[];
  eastIds: string[];
};

const WEST = { lat: 47.61, lng: -122.33 };
const EAST = { lat: 47.66, lng: -122.17 };

export async function seedBrowserData(databaseUrl: string): Promise<Seed> {
  const client = new pg.Client(databaseUrl);
  await client.connect();
  try {
    const city = "Pillowby";
    const insert = async (i: number, centre: { lat: number; lng: number }, status: string) => {
      const price = 200_000 + ((i * 137_000) % 1_000_000);
      const bedrooms = 1 + (i % 5);
      const lat = centre.lat + ((i % 6) - 2.5) * 0.004;
      const lng = centre.lng + (Math.floor(i / 6) - 1.5) * 0.006;
      const { rows } = await client.query(
        `INSERT INTO properties (primary_source, country, currency, city, state, postal_code, street, address_full, title, description,
            property_type, listing_type, status, price_minor, bedrooms, bathrooms, area_living_sqm, area_land_sqm, year_built,
            location, listed_at, quality_score)
         VALUES ('browser-seed', 'US', 'USD', $1, 'WA', $2, $3, $4, $5, $6, $7, 'sale', $8, $9, $10, $11, $12, $13, $14,
            ST_SetSRID(ST_MakePoint($15, $16), 4326)::geography, now() - ($17 || ' days')::interval, 0.8)
         RETURNING id`,
        [
          city,
          centre === WEST ? "98101" : "98004",
          `${100 + i} Test Ave`,
          `${100 + i} Test Ave, ${city}, WA ${centre === WEST ? "98101" : "98004"}`,
          `${bedrooms}-bedroom ${i % 3 === 0 ? "townhouse" : "house"} on Test Ave`,
          "A seeded property for the browser tests.\n\nIt has a garden and a radius of quiet streets around it.",
          i % 3 === 0 ? "townhouse" : "house",
          status,
          price * 100,
          bedrooms,
          1 + (i % 3),
          60 + i * 7,
          300 + i * 20,
          1950 + i,
          lng,
          lat,
          String(10 + i * 9),
        ],
      );
      return rows[0].id as string;
    };
    const westIds: string[] = [];
    const eastIds: string[] = [];
    for (let i = 0; i < 24; i++) westIds.push(await insert(i, WEST, i % 4 === 0 ? "active" : "sold"));
    for (let i = 0; i < 18; i++) eastIds.push(await insert(i + 24, EAST, i % 4 === 0 ? "active" : "sold"));

    const historyPropertyId = westIds[1]!;
    const day = 86_400_000;
    const events = [
      { type: "listed", old: null, new: 720_000, at: new Date(Date.now() - 200 * day) },
      { type: "price_change", old: 720_000, new: 689_000, at: new Date(Date.now() - 120 * day) },
      { type: "price_change", old: 689_000, new: 655_000, at: new Date(Date.now() - 60 * day) },
      { type: "status_change", old: "active", new: "sold", at: new Date(Date.now() - 20 * day) },
    ];
    for (const e of events) {
      await client.query(
        "INSERT INTO property_events (property_id, type, old, new, source, occurred_at) VALUES ($1, $2, $3::jsonb, $4::jsonb, 'browser-seed', $5)",
        [historyPropertyId, e.type, JSON.stringify(e.old), JSON.stringify(e.new), e.at],
      );
    }
    await client.query("UPDATE properties SET price_minor = $1 WHERE id = $2", [655_000 * 100, historyPropertyId]);

    const serviceToken = `pil_${randomBytes(32).toString("base64url")}`;
    await client.query(
      "INSERT INTO api_tokens (name, token_hash, prefix, role, service, sources) VALUES ($1, $2, $3, 'service', 'browser-tests', '{*}')",
      ["browser tests", createHash("sha256").update(serviceToken).digest("hex"), serviceToken.slice(0, 10)],
    );

    const box = (c: { lat: number; lng: number }): [number, number, number, number] => [
      c.lng - 0.03,
      c.lat - 0.02,
      c.lng + 0.03,
      c.lat + 0.02,
    ];
    return { city, serviceToken, historyPropertyId, west: box(WEST), east: box(EAST), westIds, eastIds };
  } finally {
    await client.end();
  }
}
