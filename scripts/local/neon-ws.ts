/**
 * Local stand-in for Neon's WebSocket proxy: `ws://host:port/v2?address=h:p` carries raw Postgres
 * wire bytes in binary frames. Lets the production `Pool`/`Client` (interactive transactions) reach
 * a plain Postgres. Every connection goes to the one local server it was started for (PgBouncer, see
 * services.ts).
 */
import { createConnection } from "node:net";
import { WebSocketServer } from "ws";
import { countTrip, type Distance, splitTag } from "./distance.ts";

export function startNeonWs(
  pgHost: string,
  pgPort: number,
  port = 0,
  distance?: Distance,
): Promise<{ url: string; close: () => Promise<void> }> {
  const wss = new WebSocketServer({ host: "127.0.0.1", port });
  wss.on("connection", (socket, req) => {
    const { tag } = splitTag(new URL(req.url ?? "/", "http://stand-in").pathname);
    const tcp = createConnection({ host: pgHost, port: pgPort });
    const pending: Buffer[] = [];
    tcp.on("connect", () => {
      for (const chunk of pending.splice(0)) tcp.write(chunk);
    });
    // Simulated distance: each frame from the Worker is one trip, and Postgres' answers arrive one
    // round trip later, in order.
    let answered = Promise.resolve();
    socket.on("message", (data: Buffer) => {
      countTrip(distance, "postgres", tag);
      if (tcp.connecting) pending.push(data);
      else tcp.write(data);
    });
    tcp.on("data", (data) => {
      const ms = distance?.rttMs ?? 0;
      if (ms <= 0) return socket.send(data);
      answered = answered.then(() => new Promise((r) => setTimeout(r, ms))).then(() => socket.send(data));
    });
    socket.on("close", () => tcp.destroy());
    tcp.on("close", () => socket.close());
    tcp.on("error", () => socket.close());
    socket.on("error", () => tcp.destroy());
  });
  return new Promise((resolve) => {
    wss.on("listening", () => {
      const address = wss.address();
      const actual = typeof address === "object" && address ? address.port : port;
      resolve({
        url: `ws://127.0.0.1:${actual}`,
        close: () =>
          new Promise<void>((r) => {
            for (const client of wss.clients) client.terminate();
            wss.close(() => r());
          }),
      });
    });
  });
}
