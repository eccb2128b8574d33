import type { Env } from "../../env";

export type CronJob = (controller: ScheduledController, env: Env, ctx: ExecutionContext) => Promise<void>;

/** Runs every job registered for the schedule that fired (several jobs may share one cron expression). */
export async function dispatchCron(
  jobs: Record<string, CronJob[]>,
  controller: ScheduledController,
  env: Env,
  ctx: ExecutionContext,
): Promise<void> {
  const due = jobs[controller.cron] ?? [];
  const results = await Promise.allSettled(due.map((job) => job(controller, env, ctx)));
  const failed = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failed.length > 0)
    throw new AggregateError(
      failed.map((f) => f.reason),
      `${failed.length} cron job(s) failed`,
    );
}
