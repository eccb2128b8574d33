/**
 * Every dataset in ../shared/datasets imported twice through the Mill's batch endpoint (the whole
 * Worker, a real service token): the second run stores nothing new — every item is unchanged, King
 * County's repeat sales included (they stay one property with its sales as price history).
 */
import { exports } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import { expect, it } from "vitest";
import { MillClient } from "../../../../connectors/core/mill-client";
import { datasetImporters, type ImportReport, importDataset } from "../../../../connectors/datasets/index";
import { describeWithFixtures, fixtures } from "../../../../connectors/test-support";
import { bearerFor, call } from "../../../test/helpers";
import { db } from "../../../test/listings";

const worker = exports as unknown as { default: { fetch: (r: Request) => Promise<Response> } };

// The batch endpoint comes with the ingest pipeline; until it is on the branch this suite says so.
const ingestPresent =
  (await worker.default.fetch(new Request("http://pillow.test/api/v1/properties/batch", { method: "POST" }))).status !== 404;
if (!ingestPresent) console.warn("skipped: POST /api/v1/properties/batch is not on this branch (ingest not merged)");

describeWithFixtures("dataset imports through the Mill", () => {
  it.skipIf(!ingestPresent)("importing every dataset twice: the second run is all unchanged", { timeout: 900_000 }, async () => {
    const token = (await bearerFor("service", { service: "importer" })).slice("Bearer ".length);
    const mill = new MillClient({ baseUrl: "http://pillow.test", token, fetch: (r) => worker.default.fetch(r) });
    const run = async (): Promise<ImportReport[]> => {
      const reports: ImportReport[] = [];
      for (const importer of datasetImporters) {
        const res = await fetch(`${fixtures.urls.main}/raw/datasets/${importer.file}`);
        reports.push(
          await importDataset(importer, res.body as ReadableStream<Uint8Array>, { submit: (items) => mill.submit(items) }),
        );
      }
      return reports;
    };
    const first = await run();
    for (const r of first) {
      expect(r.submitted, r.dataset).toBeGreaterThan(r.rowsRead * 0.9);
      expect(r.created + r.merged + r.unchanged, r.dataset).toBeGreaterThan(0);
    }
    const kc = first.find((r) => r.dataset === "kc-house-data");
    // 21,612 accepted sales of 21,435 parcels: the repeat sales merged into their parcel.
    expect(kc?.created).toBeLessThanOrEqual(21_435);
    expect(kc?.merged).toBeGreaterThanOrEqual(177);

    const second = await run();
    console.log(
      second
        .map(
          (r) =>
            `${r.dataset}: submitted ${r.submitted}, unchanged ${r.unchanged}, merged ${r.merged}, repeat sales ${r.repeatSales}`,
        )
        .join("\n"),
    );
    for (const r of second) {
      const first1 = first.find((f) => f.dataset === r.dataset)!;
      const invalid = r.submitted - r.created - r.merged - r.unchanged;
      expect(r.submitted, r.dataset).toBe(first1.submitted);
      expect({ dataset: r.dataset, created: r.created, merged: r.merged }).toEqual({ dataset: r.dataset, created: 0, merged: 0 });
      expect(r.unchanged, r.dataset).toBe(r.submitted - invalid);
    }
    expect(second.find((r) => r.dataset === "kc-house-data")?.repeatSales).toBeGreaterThanOrEqual(177);

    // Parcel 0795000620 sold three times (read from kc_house_data.csv): still one property whose
    // history holds the three sales once each, after two imports.
    const { rows } = await db().execute(
      sql`SELECT DISTINCT p.id FROM properties p
           WHERE p.attributes->>'parcel_id' = '0795000620'
              OR p.id IN (SELECT property_id FROM property_sources WHERE source = 'kc_house_data' AND source_listing_id = '0795000620')`,
    );
    expect(rows).toHaveLength(1);
    const res = await call(`/api/v1/properties/${rows[0]!.id}`);
    expect(res.status).toBe(200);
    const { data } = (await res.json()) as {
      data: {
        status: string;
        price: number;
        history: Array<{ type: string; old: unknown; new: Record<string, unknown>; occurred_at: string }>;
      };
    };
    expect(data).toMatchObject({ status: "sold", price: 157000 });
    // Each sale on its own sale date, not on the day of the import.
    expect(data.history.map((e) => [e.type, e.new.price, e.occurred_at.slice(0, 10)])).toEqual([
      ["listed", 115000, "2014-09-24"],
      ["sold", 124000, "2014-12-15"],
      ["sold", 157000, "2015-03-11"],
    ]);
    expect(data.history[0]!.new).toMatchObject({ sold_at: "2014-09-24T00:00:00.000Z", sold_price: 115000 });
  });
});
