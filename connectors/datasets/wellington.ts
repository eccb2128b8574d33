/**
 * homes.co.nz records of the Wellington region, snapshots of 2020-06, 2021-09, 2022-04 and 2023-09
 * (no licence: tests only). Each year has its own columns; the homes.co.nz connector's record mapper
 * reads all of them. The snapshot date is the listing date.
 */
import type { IngestItem } from "../contract/item";
import { homesRecordToItem } from "../sites/homes-co-nz";
import { type DatasetImporter, Rejection } from "./importer";

const SNAPSHOTS: Record<number, string> = {
  2020: "2020-06-01T00:00:00.000Z",
  2021: "2021-09-01T00:00:00.000Z",
  2022: "2022-04-01T00:00:00.000Z",
  2023: "2023-09-01T00:00:00.000Z",
};

function wellington(year: number): DatasetImporter {
  const source = `nz_wellington_homes_${year}`;
  return {
    name: `nz-wellington-homes-${year}`,
    source,
    description: `homes.co.nz records, Wellington region, ${year} snapshot`,
    file: `${source}.csv`,
    country: "NZ",
    licence: "none (scraped by a university course): tests only",
    openLicence: false,
    map(r): IngestItem | Rejection {
      return homesRecordToItem(r, { source, listedAt: SNAPSHOTS[year] ?? null }) ?? new Rejection("no id and no address");
    },
  };
}

export const wellingtonImporters = [2020, 2021, 2022, 2023].map(wellington);
