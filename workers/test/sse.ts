/** Reads Server-Sent Events from a streaming response, for live-update tests. */
export type SseEvent = { event: string; data: string };

export function sseReader(res: Response) {
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  const pending: SseEvent[] = [];
  return {
    /** The next event (comments skipped); rejects after `ms`. */
    async next(ms = 5_000): Promise<SseEvent> {
      const deadline = Date.now() + ms;
      while (true) {
        const ready = pending.shift();
        if (ready) return ready;
        const left = deadline - Date.now();
        if (left <= 0) throw new Error("no event within the time limit");
        let timer: ReturnType<typeof setTimeout> | undefined;
        const chunk = await Promise.race([
          reader.read(),
          new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new Error("no event within the time limit")), left);
          }),
        ]).finally(() => clearTimeout(timer));
        if (chunk.done) throw new Error("stream ended");
        buffer += chunk.value;
        let end = buffer.indexOf("\n\n");
        while (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const lines = block.split("\n").filter((l) => !l.startsWith(":"));
          const event = lines.find((l) => l.startsWith("event: "))?.slice(7);
          const data = lines
            .filter((l) => l.startsWith("data: "))
            .map((l) => l.slice(6))
            .join("\n");
          if (event || data) pending.push({ event: event ?? "message", data });
          end = buffer.indexOf("\n\n");
        }
      }
    },
    cancel: () => reader.cancel().catch(() => undefined),
  };
}

/** Inserts a minimal property row straight into the database (tests of readers only). */
export async function insertProperty(
  sql: { query: (text: string, params: unknown[]) => Promise<unknown> },
  p: { city: string; price: number; bedrooms?: number; lat?: number; lng?: number; status?: string; title?: string },
): Promise<string> {
  const rows = (await sql.query(
    `INSERT INTO properties (primary_source, country, currency, city, price_minor, bedrooms, status, title, location, address_full, property_type)
     VALUES ('test-source', 'US', 'USD', $1, $2, $3, $4, $5, ST_SetSRID(ST_MakePoint($6, $7), 4326)::geography, $8, 'house')
     RETURNING id`,
    [
      p.city,
      p.price * 100,
      p.bedrooms ?? null,
      p.status ?? "active",
      p.title ?? `Test house in ${p.city}`,
      p.lng ?? -122.3,
      p.lat ?? 47.6,
      `1 Test St, ${p.city}`,
    ],
  )) as { id: string }[];
  return rows[0]!.id;
}
