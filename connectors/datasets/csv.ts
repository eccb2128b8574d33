/**
 * Streaming CSV for dataset importers: bytes (optionally gzipped) → text → records, with csv-parse's
 * WHATWG stream API, which runs in Node and in workerd alike. Nothing is read whole into memory.
 */
import { Buffer } from "node:buffer";
import { parse } from "csv-parse/stream";

export type CsvRecord = Record<string, string>;

/**
 * Inserts the line break that a file's header lacks. The UK Price Paid report export runs its header
 * straight into the first record (`…,linked_data_uri"F3B6…`); `marker` is the header's last column.
 */
export function breakAfterHeader(marker: string): TransformStream<string, string> {
  let done = false;
  let buffer = "";
  return new TransformStream<string, string>({
    transform(chunk, controller) {
      if (done) return controller.enqueue(chunk);
      buffer += chunk;
      const at = buffer.indexOf(marker);
      if (at < 0 && buffer.length < 64 * 1024) return;
      done = true;
      if (at >= 0) {
        const end = at + marker.length;
        const rest = buffer.slice(end);
        controller.enqueue(`${buffer.slice(0, end)}${/^\r?\n/.test(rest) ? "" : "\n"}${rest}`);
      } else controller.enqueue(buffer);
      buffer = "";
    },
    flush(controller) {
      if (buffer) controller.enqueue(buffer);
    },
  });
}

/** Drops a leading byte-order mark (csv-parse's own BOM option needs Node Buffers). */
function stripBom(): TransformStream<string, string> {
  let first = true;
  return new TransformStream<string, string>({
    transform(chunk, controller) {
      controller.enqueue(first && chunk.charCodeAt(0) === 0xfeff ? chunk.slice(1) : chunk);
      first = false;
    },
  });
}

export type CsvSourceOptions = { gzip?: boolean; fixHeader?: string };

/** Records of a CSV byte stream, in file order. */
export async function* csvRecords(bytes: ReadableStream<Uint8Array>, options: CsvSourceOptions = {}): AsyncGenerator<CsvRecord> {
  let stream: ReadableStream<Uint8Array> = bytes;
  if (options.gzip)
    stream = stream.pipeThrough(new DecompressionStream("gzip") as unknown as TransformStream<Uint8Array, Uint8Array>);
  let text: ReadableStream<string> = stream.pipeThrough(
    new TextDecoderStream() as unknown as TransformStream<Uint8Array, string>,
  );
  text = text.pipeThrough(stripBom());
  if (options.fixHeader) text = text.pipeThrough(breakAfterHeader(options.fixHeader));
  // csv-parse works on Node Buffers (available in workerd through nodejs_compat).
  const buffers = text.pipeThrough(
    new TransformStream<string, Buffer>({ transform: (chunk, controller) => controller.enqueue(Buffer.from(chunk, "utf8")) }),
  );
  const records = buffers.pipeThrough(
    parse({ columns: true, skip_empty_lines: true, relax_column_count: true, trim: true }) as unknown as TransformStream<
      Buffer,
      CsvRecord
    >,
  );
  const reader = records.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}
