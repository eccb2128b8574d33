/**
 * Local stand-in for Upstash's Redis REST API in front of a plain redis-server, so the production
 * `@upstash/redis` client works unchanged. Speaks raw RESP2 (a client library would reshape replies,
 * e.g. HGETALL into an object, which the Upstash client does not expect).
 *
 * Routes: POST / (one command), POST /pipeline and POST /multi-exec (arrays of commands), and the
 * path form `POST /<command>/<arg>/…?<name>=<value>`, where a request body is the last argument before
 * the query's (Upstash's "JSON or binary value" form: a large value sent as it is).
 * With `Upstash-Encoding: base64` every string in a result except "OK" is base64-encoded.
 */
import { createHash } from "node:crypto";
import { createServer } from "node:http";
import { createConnection, type Socket } from "node:net";
import { countTrip, type Distance, splitTag, travel, tripsAnswer } from "./distance.ts";

type Reply = string | number | null | Reply[] | { error: string };

function encodeCommand(args: unknown[]): Buffer {
  const parts = args.map((a) => Buffer.from(typeof a === "string" ? a : JSON.stringify(a)));
  const head = `*${parts.length}\r\n`;
  return Buffer.concat([Buffer.from(head), ...parts.flatMap((p) => [Buffer.from(`$${p.length}\r\n`), p, Buffer.from("\r\n")])]);
}

/** Parses one RESP2 reply starting at `offset`; returns undefined when the buffer is incomplete. */
function parseReply(buf: Buffer, offset: number): [Reply, number] | undefined {
  const lineEnd = buf.indexOf("\r\n", offset);
  if (lineEnd < 0) return undefined;
  const type = String.fromCharCode(buf[offset] as number);
  const line = buf.toString("utf8", offset + 1, lineEnd);
  const next = lineEnd + 2;
  switch (type) {
    case "+":
      return [line, next];
    case "-":
      return [{ error: line }, next];
    case ":":
      return [Number(line), next];
    case "$": {
      const len = Number(line);
      if (len < 0) return [null, next];
      if (buf.length < next + len + 2) return undefined;
      return [buf.toString("utf8", next, next + len), next + len + 2];
    }
    case "*": {
      const count = Number(line);
      if (count < 0) return [null, next];
      const items: Reply[] = [];
      let pos = next;
      for (let i = 0; i < count; i++) {
        const parsed = parseReply(buf, pos);
        if (!parsed) return undefined;
        items.push(parsed[0]);
        pos = parsed[1];
      }
      return [items, pos];
    }
    default:
      throw new Error(`unexpected RESP type ${type}`);
  }
}

function send(socket: Socket, commands: unknown[][]): Promise<Reply[]> {
  return new Promise((resolve, reject) => {
    let buf = Buffer.alloc(0);
    const replies: Reply[] = [];
    const onData = (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      let parsed = parseReply(buf, 0);
      while (parsed) {
        replies.push(parsed[0]);
        buf = buf.subarray(parsed[1]);
        if (replies.length === commands.length) {
          socket.off("data", onData);
          resolve(replies);
          return;
        }
        parsed = buf.length ? parseReply(buf, 0) : undefined;
      }
    };
    socket.on("data", onData);
    socket.once("error", reject);
    socket.write(Buffer.concat(commands.map(encodeCommand)));
  });
}

/**
 * Upstash accepts the Lua shebang flag `allow-key-locking` (which `@upstash/ratelimit` sends); Debian's
 * redis-server 7.0 rejects it. The stand-in drops it, and remembers which SHA the client will ask for
 * (the unmodified script's) and which one redis knows (the adapted script's), so EVALSHA keeps working.
 */
const UNSUPPORTED_SCRIPT_FLAGS = new Set(["allow-key-locking"]);
const scriptShas = new Map<string, string>();
const sha1 = (text: string) => createHash("sha1").update(text).digest("hex");

function adaptScript(script: string): string {
  const adapted = script.replace(/^#!lua flags=([^\n]*)/, (_, flags: string) => {
    const kept = flags
      .split(",")
      .map((f) => f.trim())
      .filter((f) => f && !UNSUPPORTED_SCRIPT_FLAGS.has(f));
    return kept.length > 0 ? `#!lua flags=${kept.join(",")}` : "#!lua";
  });
  if (adapted !== script) scriptShas.set(sha1(script), sha1(adapted));
  return adapted;
}

function adaptCommand(command: unknown[]): unknown[] {
  const [name, first, ...rest] = command;
  const verb = String(name).toUpperCase();
  if ((verb === "EVAL" || verb === "EVAL_RO") && typeof first === "string") return [name, adaptScript(first), ...rest];
  if (verb === "SCRIPT" && String(first).toUpperCase() === "LOAD" && typeof rest[0] === "string") {
    return [name, first, adaptScript(rest[0]), ...rest.slice(1)];
  }
  if ((verb === "EVALSHA" || verb === "EVALSHA_RO") && typeof first === "string") {
    return [name, scriptShas.get(first.toLowerCase()) ?? first, ...rest];
  }
  return command;
}

/** `/set/key?EX=300` with body `v` → `["set", "key", "v", "EX", "300"]`. */
function pathCommand(url: URL, body: string): string[] {
  const args = url.pathname.split("/").filter(Boolean).map(decodeURIComponent);
  if (body) args.push(body);
  for (const [name, value] of url.searchParams) args.push(name, value);
  return args;
}

function encodeResult(value: Reply, base64: boolean): unknown {
  if (!base64) return value;
  if (typeof value === "string") return value === "OK" ? value : Buffer.from(value).toString("base64");
  if (Array.isArray(value)) return value.map((v) => encodeResult(v, base64));
  return value;
}

function toEntry(reply: Reply, base64: boolean) {
  return reply && typeof reply === "object" && !Array.isArray(reply)
    ? { error: reply.error }
    : { result: encodeResult(reply, base64) };
}

export function startUpstashRest(
  redisPort: number,
  token: string,
  port = 0,
  distance?: Distance,
): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer((req, res) => {
    const tagged = new URL(req.url ?? "/", "http://stand-in");
    const trips = tripsAnswer(distance, req.method, tagged);
    if (trips !== undefined) {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(trips);
      return;
    }
    const { tag, path: untagged } = splitTag(tagged.pathname);
    countTrip(distance, "redis", tag);
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      await travel(distance);
      const reply = (status: number, body: unknown) => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify(body));
      };
      if (req.headers.authorization !== `Bearer ${token}`) return reply(401, { error: "Unauthorized" });
      const base64 = req.headers["upstash-encoding"] === "base64";
      const url = new URL(`${untagged}${tagged.search}`, "http://stand-in");
      const path = url.pathname;
      let socket: Socket | undefined;
      try {
        const text = Buffer.concat(chunks).toString("utf8");
        socket = createConnection({ host: "127.0.0.1", port: redisPort });
        if (path !== "/" && path !== "/pipeline" && path !== "/multi-exec") {
          const [single] = await send(socket, [adaptCommand(pathCommand(url, text))]);
          const entry = toEntry(single as Reply, base64);
          return reply("error" in entry ? 400 : 200, entry);
        }
        const body = JSON.parse(text || "[]") as unknown;
        if (path === "/pipeline" || path === "/multi-exec") {
          const commands = (body as unknown[][]).map(adaptCommand);
          if (path === "/multi-exec") {
            const replies = await send(socket, [["MULTI"], ...commands, ["EXEC"]]);
            const exec = replies.at(-1);
            if (!Array.isArray(exec)) return reply(400, { error: (exec as { error?: string })?.error ?? "EXECABORT" });
            return reply(
              200,
              exec.map((r) => toEntry(r, base64)),
            );
          }
          const replies = await send(socket, commands);
          return reply(
            200,
            replies.map((r) => toEntry(r, base64)),
          );
        }
        const [single] = await send(socket, [adaptCommand(body as unknown[])]);
        const entry = toEntry(single as Reply, base64);
        return reply("error" in entry ? 400 : 200, entry);
      } catch (err) {
        return reply(400, { error: (err as Error).message });
      } finally {
        socket?.destroy();
      }
    });
  });
  return new Promise((resolve) => {
    server.listen(port, "127.0.0.1", () => {
      const address = server.address();
      const actual = typeof address === "object" && address ? address.port : port;
      resolve({
        url: `http://127.0.0.1:${actual}`,
        close: () =>
          new Promise<void>((r) => {
            server.closeAllConnections();
            server.close(() => r());
          }),
      });
    });
  });
}
