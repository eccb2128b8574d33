/** The live processes of this (Linux) machine, read from /proc: who started whom, and in which process group. */
import { readdirSync, readFileSync } from "node:fs";

export type ProcessInfo = { pid: number; ppid: number; pgrp: number; name: string };

/** Every process that is not a zombie. */
export function processTable(): ProcessInfo[] {
  const table: ProcessInfo[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const close = stat.lastIndexOf(")");
      // After the name: state, ppid, pgrp, …
      const [state, ppid, pgrp] = stat.slice(close + 2).split(" ");
      if (state === "Z") continue;
      table.push({ pid: Number(entry), ppid: Number(ppid), pgrp: Number(pgrp), name: stat.slice(stat.indexOf("(") + 1, close) });
    } catch {}
  }
  return table;
}

/** Process ids (and names) of every live descendant of `root`. */
export function descendants(root: number): Map<number, string> {
  const table = processTable();
  const found = new Map<number, string>();
  let frontier = [root];
  while (frontier.length) {
    const next = table.filter((p) => frontier.includes(p.ppid) && !found.has(p.pid));
    for (const p of next) found.set(p.pid, p.name);
    frontier = next.map((p) => p.pid);
  }
  return found;
}

/** This process's process group. */
export function ownProcessGroup(): number {
  const stat = readFileSync("/proc/self/stat", "utf8");
  return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[2]);
}
