/**
 * Writing to a subscriber's stream without trusting the subscriber. A write resolves only once the
 * reader takes the bytes, so a page that stopped reading without its connection failing (seen through
 * `wrangler dev`'s proxy when a tab closes) would hold a write, and whatever awaits it, for ever.
 */
export type WriteOutcome = "written" | "failed" | "stalled";

export async function writeWithin(
  writer: WritableStreamDefaultWriter<Uint8Array>,
  bytes: Uint8Array,
  ms: number,
): Promise<WriteOutcome> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const stalled = new Promise<WriteOutcome>((resolve) => {
    timer = setTimeout(() => resolve("stalled"), ms);
  });
  const written = writer.write(bytes).then(
    (): WriteOutcome => "written",
    (): WriteOutcome => "failed",
  );
  try {
    return await Promise.race([written, stalled]);
  } finally {
    clearTimeout(timer);
  }
}
