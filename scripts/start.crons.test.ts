/**
 * Cron triggers in `npm start`: the local scheduler fires wrangler.toml's crons on their schedule
 * through the data Worker's scheduled route in wrangler dev, and a cron run produces queue work that the local consumers
 * do (the hourly enrichment job queues a listing without coordinates; the consumer geocodes it).
 */
import { describe, expect, it } from "vitest";
import { configuredCrons, fireCron, startCronScheduler } from "./local/cron-scheduler.ts";
import { mintServiceToken, sql, stackDatabaseUrl, stackForFile, uniqueListing } from "./test/stack.ts";

const stack = stackForFile(["--demo-limit", "1"]);

describe("crons and queues in npm start", { retry: 0 }, () => {
  it("schedules every cron of wrangler.toml and says when each fires next", () => {
    const crons = configuredCrons();
    expect(crons.length).toBeGreaterThan(0);
    for (const cron of crons) expect(stack().output()).toContain(`cron "${cron}" next at `);
  });

  it("fires a cron on its schedule against the running Worker", async () => {
    const lines: string[] = [];
    // Every second (croner's six-field form); the Worker runs no job for it and answers ok.
    const scheduler = startCronScheduler({ crons: ["* * * * * *"], origin: stack().dataOrigin(), log: (l) => lines.push(l) });
    try {
      const deadline = Date.now() + 15_000;
      while (!lines.some((l) => l === 'cron "* * * * * *" ran') && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 200));
      }
    } finally {
      scheduler.stop();
    }
    expect(lines).toContain('cron "* * * * * *" ran');
  });

  it("the hourly enrichment cron locates a listing without coordinates and queues it, and the queue consumer runs", async () => {
    const url = stackDatabaseUrl(stack().dataDir);
    const token = await mintServiceToken(url);
    const listing = uniqueListing({ location: undefined });
    const ingest = await fetch(`${stack().origin}/api/v1/properties`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify(listing),
    });
    expect(ingest.status).toBeLessThan(300);
    const id = ((await ingest.json()) as { data: { id: string } }).data.id;
    const [before] = await sql<{ located: boolean }>(
      url,
      "SELECT location IS NOT NULL AS located FROM properties WHERE id = $1",
      [id],
    );
    expect(before?.located).toBe(false);

    expect(await fireCron(stack().dataOrigin(), "0 * * * *")).toBe('cron "0 * * * *" ran');
    const deadline = Date.now() + 90_000;
    let row: { queued: boolean; located: boolean } | undefined;
    while (Date.now() < deadline) {
      [row] = await sql<{ queued: boolean; located: boolean }>(
        url,
        "SELECT enrichment_queued_at IS NOT NULL AS queued, location IS NOT NULL AS located FROM properties WHERE id = $1",
        [id],
      );
      // The cron's gazetteer backfill may place it before the consumer runs: wait for both.
      if (row?.located && /QUEUE property-enrichment \d+\/\d+/.test(stack().output())) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(row).toEqual({ queued: true, located: true });
    expect(stack().output()).toMatch(/QUEUE property-enrichment \d+\/\d+/);
  }, 120_000);
});
