/**
 * Every dataset in ../shared/datasets imported twice through the Mill's batch endpoint (the whole
 * Worker, a real service token): the second run stores nothing new — every item is unchanged.
 */
import { exports } from "cloudflare:workers";
import { expect, it } from "vitest";
import { bearerFor } from "../../workers/test/helpers";
import { MillClient } from "../core/mill-client";
import { describeWithFixtures, fixtures } from "../test-support";
import { datasetImporters, type ImportReport, importDataset } from "./index";

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
    for (const r of second) {
      const invalid = r.submitted - r.created - r.merged - r.unchanged;
      expect(r.created, r.dataset).toBe(0);
      // Known limit of the ingest pipeline (reported): a re-run replays each repeat-sale property's
      // history — its older sale counts as a change, then its latest sale again — so only those merge.
      expect(r.merged, r.dataset).toBeLessThanOrEqual(2 * r.repeatSales);
      expect(r.unchanged, r.dataset).toBe(r.submitted - invalid - r.merged);
    }
    const strictlyUnchanged = second.filter((r) => r.repeatSales === 0);
    expect(strictlyUnchanged.map((r) => r.merged)).toEqual(strictlyUnchanged.map(() => 0));
    console.log(
      second
        .map(
          (r) =>
            `${r.dataset}: submitted ${r.submitted}, unchanged ${r.unchanged}, merged ${r.merged}, repeat sales ${r.repeatSales}`,
        )
        .join("\n"),
    );
  });
});
