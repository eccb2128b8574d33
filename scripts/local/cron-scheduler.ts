/**
 * Cron triggers for `wrangler dev`: the local runtime does not fire `[triggers] crons` on its own, so
 * `npm start` runs this scheduler, which fires each of wrangler.toml's crons on its schedule (UTC, as
 * Cloudflare does) by calling the data Worker's scheduled-event route in wrangler dev (its port is in
 * `npm start`'s log: "the data Worker serves at …"). The same route triggers one by hand:
 *   curl 'http://127.0.0.1:<data port>/cdn-cgi/handler/scheduled?cron=0+*+*+*+*'
 */
import { Cron } from "croner";
import { unstable_readConfig } from "wrangler";

/** The cron expressions of wrangler.toml's `[triggers]`. */
export function configuredCrons(configPath = "wrangler.toml"): string[] {
  return unstable_readConfig({ config: configPath }).triggers.crons ?? [];
}

/** The URL that runs the Worker's `scheduled()` handler for one cron expression. */
export function scheduledUrl(origin: string, cron: string): string {
  return `${origin}/cdn-cgi/handler/scheduled?cron=${encodeURIComponent(cron)}`;
}

/** Runs the Worker's scheduled handler for `cron` now; resolves to a line for the log. */
export async function fireCron(origin: string, cron: string): Promise<string> {
  try {
    const res = await fetch(scheduledUrl(origin, cron));
    const body = (await res.text()).trim().slice(0, 200);
    return res.ok ? `cron "${cron}" ran` : `cron "${cron}" failed: ${res.status} ${body}`;
  } catch (err) {
    return `cron "${cron}" could not reach the Worker: ${(err as Error).message}`;
  }
}

/** Fires every cron on its schedule until `stop()`. `origin` is read at each firing (the port stays, the Worker may restart). */
export function startCronScheduler(options: { crons: string[]; origin: string; log: (line: string) => void }): {
  stop: () => void;
} {
  const jobs = options.crons.map(
    (cron) =>
      new Cron(cron, { timezone: "Etc/UTC", protect: true }, async () => {
        options.log(await fireCron(options.origin, cron));
      }),
  );
  for (const [i, job] of jobs.entries()) {
    options.log(`cron "${options.crons[i]}" next at ${job.nextRun()?.toISOString() ?? "never"}`);
  }
  return {
    stop: () => {
      for (const job of jobs) job.stop();
    },
  };
}
