/**
 * `npm run eval:dedup`: how well identity merges the same property written by different sources, and
 * keeps apart the addresses next to it, on real data sets (../shared/datasets; see docs/benchmarks.md
 * "Dedup evaluation"). Starts its own throw-away Postgres, runs the ingest pipeline's identity on the
 * cases, prints precision and recall per perturbation and writes bench/results/dedup.md + .json and the
 * candidate lookup's plan.
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { bundleForNode } from "../bench/bundle.ts";
import type { DedupReport } from "../bench/dedup/run.ts";
import { loadCarriedGazetteer } from "../db/gazetteer.ts";
import { migrateDatabase } from "../db/migrate.ts";
import { startServices } from "./local/services.ts";

const { values } = parseArgs({
  args: process.argv.slice(2),
  options: {
    "per-dataset": { type: "string", default: "2000" },
    seed: { type: "string", default: "1" },
    /** Print up to this many wrong answers per perturbation (to the console only). */
    show: { type: "string", default: "0" },
    datasets: { type: "string", default: "../shared/datasets" },
    out: { type: "string", default: "bench/results" },
  },
});
const log = (line: string) => console.log(`eval:dedup ${new Date().toISOString().slice(11, 19)} ${line}`);

if (!existsSync(join(values.datasets, "melb_data.csv"))) {
  console.log("eval:dedup: skipped: private data set not present (../shared/datasets; see docs/benchmarks.md)");
  process.exit(0);
}

const pct = (n: number) => `${(n * 100).toFixed(2)} %`;

function table(report: DedupReport): string[] {
  const rows = report.kinds.map((k) => {
    const precision = k.mergedRight + k.mergedWrong === 0 ? "–" : pct(k.mergedRight / (k.mergedRight + k.mergedWrong));
    const recall = k.expect === "merge" ? pct(k.mergedRight / k.cases) : "–";
    return `| ${k.kind} | ${k.expect} | ${k.cases} | ${k.mergedRight} | ${k.mergedWrong} | ${k.created} | ${precision} | ${recall} |`;
  });
  return [
    "| perturbation | expected | cases | merged into its base | merged elsewhere (false) | created | precision | recall |",
    "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ...rows,
    `| **overall** | | ${report.kinds.reduce((s, k) => s + k.cases, 0)} | | | | **${pct(report.precision)}** | **${pct(report.recall)}** |`,
  ];
}

const basesLine = (report: DedupReport) =>
  Object.entries(report.datasets)
    .map(([d, n]) => `${d} ${n}`)
    .join(", ");

function markdown(report: DedupReport, holdout: DedupReport, realPairKind: string, perDataset: number, seed: number): string {
  return [
    `# Dedup evaluation (${new Date().toISOString().slice(0, 10)})`,
    "",
    `\`npm run eval:dedup -- --per-dataset ${perDataset} --seed ${seed}\`; bases per data set: ${basesLine(report)}.`,
    "",
    ...table(report),
    "",
    "Near misses (`apart`) count against precision when merged; `merge` cases count for recall when merged into their base.",
    "",
    "## Hold-out",
    "",
    "Data sets the identity rules were never tuned on (the same run, its own random stream): bases per data set: " +
      `${basesLine(holdout)}. \`${realPairKind}\`: real duplicates, the 2021 snapshot's properties that the 2023 ` +
      "snapshot lists again under the same homes.co.nz id, each written its own year's way (no perturbation).",
    "",
    ...table(holdout),
    "",
    "The candidate lookup of identity's second step (`NEAR_SQL`, one probe):",
    "",
    "```",
    report.nearPlan,
    "```",
    "",
  ].join("\n");
}

/** An empty database beside `url`'s, on the same server; its URL. */
async function freshDatabase(url: string, name: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${name}`);
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const fresh = new URL(url);
  fresh.pathname = `/${name}`;
  return fresh.href;
}

const perDataset = Number(values["per-dataset"]);
const seed = Number(values.seed);
// Each perturbation runs in one transaction (rolled back after it), which holds an advisory lock per
// item it ingests: more than Postgres' default lock table holds.
const services = await startServices({ log, postgresSettings: { max_locks_per_transaction: 2048 } });
try {
  await migrateDatabase(services.env.DATABASE_URL);
  log(`gazetteer loaded: ${await loadCarriedGazetteer(services.env.DATABASE_URL)} places`);
  const { runDedup, HOLDOUT_DATASETS, HOLDOUT_REAL_PAIRS, REAL_PAIR_KIND } = await bundleForNode<
    typeof import("../bench/dedup/run.ts")
  >("bench/dedup/run.ts", "dedup");
  const report = await runDedup(services.env.DATABASE_URL, {
    dir: values.datasets,
    perDataset,
    seed,
    show: Number(values.show),
    log,
  });
  // The hold-out runs on a database of its own: the main run's bases include the 2023 snapshot that the
  // hold-out's real pairs come from, and identity would find those by their listing, not their address.
  log("hold-out, on a fresh database …");
  const holdoutUrl = await freshDatabase(services.env.DATABASE_URL, "dedup_holdout");
  await migrateDatabase(holdoutUrl);
  await loadCarriedGazetteer(holdoutUrl);
  const holdout = await runDedup(holdoutUrl, {
    dir: values.datasets,
    perDataset,
    seed,
    show: Number(values.show),
    log,
    datasets: HOLDOUT_DATASETS,
    realPairs: HOLDOUT_REAL_PAIRS,
    stream: 21,
  });
  const md = markdown(report, holdout, REAL_PAIR_KIND, perDataset, seed);
  console.log(md);
  mkdirSync(values.out, { recursive: true });
  writeFileSync(join(values.out, "dedup.md"), md);
  writeFileSync(join(values.out, "dedup.json"), `${JSON.stringify({ perDataset, seed, ...report, holdout }, null, 2)}\n`);
  log(`written ${join(values.out, "dedup.md")}`);
} finally {
  await services.stop();
}
