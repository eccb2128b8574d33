/** Facts about the machine and software a benchmark ran on, for the results header. */
import { readFileSync } from "node:fs";
import os from "node:os";
import type pg from "pg";

export type MachineFacts = {
  date: string;
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  loadAverageAtStart: number[];
  kernel: string;
  os: string;
  node: string;
  postgres: string;
  postgis: string;
  wrangler: string;
  workerd: string;
  postgresSettings: Record<string, string>;
};

function packageVersion(name: string): string {
  try {
    return (JSON.parse(readFileSync(`node_modules/${name}/package.json`, "utf8")) as { version: string }).version;
  } catch {
    return "unknown";
  }
}

function osName(): string {
  try {
    return /PRETTY_NAME="([^"]+)"/.exec(readFileSync("/etc/os-release", "utf8"))?.[1] ?? os.type();
  } catch {
    return os.type();
  }
}

export async function machineFacts(client: pg.Client): Promise<MachineFacts> {
  const { rows: v } = await client.query<{ pg: string; gis: string }>("SELECT version() AS pg, postgis_lib_version() AS gis");
  const { rows: settings } = await client.query<{ name: string; setting: string }>(
    `SELECT name, current_setting(name) AS setting FROM pg_settings
      WHERE name IN ('shared_buffers','work_mem','maintenance_work_mem','effective_cache_size','random_page_cost','fsync',
                     'synchronous_commit','full_page_writes','max_parallel_workers_per_gather','jit','max_wal_size')`,
  );
  return {
    date: new Date().toISOString(),
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? "unknown",
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    loadAverageAtStart: os.loadavg().map((l) => Math.round(l * 100) / 100),
    kernel: os.release(),
    os: osName(),
    node: process.version,
    postgres: v[0]?.pg.split(" on ")[0] ?? "unknown",
    postgis: v[0]?.gis ?? "unknown",
    wrangler: packageVersion("wrangler"),
    workerd: packageVersion("workerd"),
    postgresSettings: Object.fromEntries(settings.map((s) => [s.name, s.setting])),
  };
}
