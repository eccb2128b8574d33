/**
 * CPU time of the processes that take part in a benchmark phase, read from /proc (Linux). On a
 * 2-core machine every process of the data plane competes for the same cores, so "where does the
 * CPU of one ingested item go" explains a throughput figure better than any latency.
 */
import { readdirSync, readFileSync } from "node:fs";

/** Process groups: the database, the Worker runtime, the pooler, Redis, this process, its children. */
export type CpuGroup = "postgres" | "workerd" | "pgbouncer" | "redis" | "bench" | "load generator";
export type CpuSample = Record<CpuGroup, number>;

const TICKS_PER_SECOND = 100;

function groupOf(name: string): CpuGroup | null {
  if (name === "postgres") return "postgres";
  if (name.startsWith("workerd")) return "workerd";
  if (name === "pgbouncer") return "pgbouncer";
  if (name.startsWith("redis-server")) return "redis";
  return null;
}

/**
 * A `/proc/<pid>/stat` line: the command name, the process's own CPU seconds (user + system) and those
 * of its exited, reaped children.
 */
export function parseStat(stat: string): { name: string; own: number; children: number } {
  // The name is parenthesised and may itself contain spaces and parentheses: fields follow the last ")".
  const name = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
  const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // Fields 14–17 of proc(5) (utime, stime, cutime, cstime), counted from the state field (3) here.
  const ticks = (i: number) => Number(f[i - 3]) / TICKS_PER_SECOND;
  return { name, own: ticks(14) + ticks(15), children: ticks(16) + ticks(17) };
}

/**
 * Cumulative CPU seconds per group, or null where /proc is not readable. A group's figure includes
 * the CPU of its exited children (Postgres backends, reaped by the postmaster), and this process's
 * reaped children (the load generator) are counted apart from its own CPU (the stand-ins).
 */
export function sampleCpu(): CpuSample | null {
  let pids: string[];
  try {
    pids = readdirSync("/proc").filter((d) => /^\d+$/.test(d));
  } catch {
    return null;
  }
  const sample: CpuSample = { postgres: 0, workerd: 0, pgbouncer: 0, redis: 0, bench: 0, "load generator": 0 };
  for (const pid of pids) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    } catch {
      continue; // exited meanwhile
    }
    const { name, own, children } = parseStat(stat);
    if (pid === String(process.pid)) {
      sample.bench += own;
      sample["load generator"] += children;
      continue;
    }
    const group = groupOf(name);
    if (group) sample[group] += own + children;
  }
  return sample;
}

/** CPU seconds each group used between two samples. */
export function cpuBetween(before: CpuSample, after: CpuSample): CpuSample {
  const out = { ...after };
  for (const k of Object.keys(out) as CpuGroup[]) out[k] = Math.max(0, after[k] - before[k]);
  return out;
}
