/** Every dataset importer, by CLI name. */
import type { DatasetImporter } from "./importer";
import { kingCounty } from "./king-county";
import { melbourne } from "./melbourne";
import { ukPricePaid } from "./uk-ppd";
import { wellingtonImporters } from "./wellington";

export const datasetImporters: readonly DatasetImporter[] = [kingCounty, ukPricePaid, melbourne, ...wellingtonImporters];

export function findImporter(name: string): DatasetImporter | undefined {
  return datasetImporters.find((d) => d.name === name || d.file === name || d.source === name);
}

export { type DatasetImporter, type ImportReport, importDataset, Rejection } from "./importer";
