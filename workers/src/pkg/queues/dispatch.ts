import type { Env } from "../../env";

export type QueueConsumer = (batch: MessageBatch<unknown>, env: Env, ctx: ExecutionContext) => Promise<void>;

/**
 * Routes a batch to the consumer registered for its queue. Queue names carry an environment suffix in
 * some deployments (`crawl-tasks-staging`), so consumers register by prefix.
 */
export async function dispatchQueue(
  consumers: Record<string, QueueConsumer>,
  batch: MessageBatch<unknown>,
  env: Env,
  ctx: ExecutionContext,
): Promise<void> {
  const name = Object.keys(consumers)
    .sort((a, b) => b.length - a.length)
    .find((prefix) => batch.queue === prefix || batch.queue.startsWith(`${prefix}-`));
  if (!name) {
    // Never ack what nobody handles: retrying sends it to the dead-letter queue eventually.
    batch.retryAll();
    throw new Error(`no consumer for queue ${batch.queue}`);
  }
  await (consumers[name] as QueueConsumer)(batch, env, ctx);
}
