import { describe, expect, it } from "vitest";
import { writeWithin } from "./stream-write";

const bytes = new TextEncoder().encode("event: created\ndata: {}\n\n");

describe("writeWithin", () => {
  it("is written when the reader takes the bytes", async () => {
    const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
    const reader = readable.getReader();
    const read = reader.read();
    expect(await writeWithin(writable.getWriter(), bytes, 1_000)).toBe("written");
    expect((await read).value).toEqual(bytes);
  });

  it("gives up on a reader that never reads, instead of waiting for ever", async () => {
    const { writable } = new TransformStream<Uint8Array, Uint8Array>();
    expect(await writeWithin(writable.getWriter(), bytes, 50)).toBe("stalled");
  });

  it("fails when the reader has gone", async () => {
    const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
    await readable.cancel("tab closed");
    expect(await writeWithin(writable.getWriter(), bytes, 1_000)).toBe("failed");
  });
});
