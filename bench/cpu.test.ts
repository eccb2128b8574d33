import { describe, expect, it } from "vitest";
import { cpuBetween, parseStat } from "./cpu";

// proc(5): pid (comm) state ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt utime stime cutime cstime …
const line = (comm: string) => `4242 (${comm}) S 1 4242 4242 0 -1 4194560 900 12 0 0 250 50 1200 300 20 0 1 0 123 456 789`;

describe("parseStat", () => {
  it("reads own and reaped children's CPU seconds", () => {
    expect(parseStat(line("postgres"))).toEqual({ name: "postgres", own: 3, children: 15 });
  });

  it("keeps a command name with spaces and parentheses whole", () => {
    const parsed = parseStat(line("workerd (x) y"));
    expect(parsed.name).toBe("workerd (x) y");
    expect(parsed.own).toBe(3);
  });
});

describe("cpuBetween", () => {
  it("subtracts per group and never goes below zero", () => {
    const before = { postgres: 10, workerd: 5, pgbouncer: 1, redis: 1, bench: 2, "load generator": 3 };
    const after = { postgres: 12.5, workerd: 5.5, pgbouncer: 1, redis: 0.5, bench: 2, "load generator": 4 };
    expect(cpuBetween(before, after)).toEqual({
      postgres: 2.5,
      workerd: 0.5,
      pgbouncer: 0,
      redis: 0,
      bench: 0,
      "load generator": 1,
    });
  });
});
