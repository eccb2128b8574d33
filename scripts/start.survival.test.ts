/**
 * No single client may stop `npm start`: aborted uploads, clients that vanish mid-response, oversized
 * bodies, a slow loris and malformed HTTP are thrown at the running stack (wrangler dev), and then
 * health, search and ingest must still answer from the same Worker, never restarted.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { request } from "node:http";
import { connect } from "node:net";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { descendants, mintServiceToken, stackDatabaseUrl, stackForFile, uniqueListing } from "./test/stack.ts";

const MB = 1024 * 1024;
// No demo data and no crons: the tests need the Worker, not the data.
const stack = stackForFile(["--demo-limit", "1", "--no-crons"]);

/** Sends `total` bytes of chunked JSON-ish body to `path`, and stops after `abortAfter` bytes by destroying the socket. */
function chunkedUpload(path: string, total: number, abortAfter = Number.POSITIVE_INFINITY): Promise<string> {
  return new Promise((resolve) => {
    const req = request(`${stack().origin}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", "transfer-encoding": "chunked" },
    });
    let settled = false;
    const done = (how: string) => {
      if (!settled) {
        settled = true;
        resolve(how);
      }
    };
    req.on("response", (res) => {
      res.resume();
      res.on("end", () => done(`status ${res.statusCode}`));
      res.on("error", () => done("response error"));
    });
    req.on("error", () => done("socket closed"));
    const chunk = Buffer.alloc(64 * 1024, "[");
    let sent = 0;
    const pump = () => {
      while (sent < total) {
        if (sent >= abortAfter) {
          req.destroy();
          return done("aborted by client");
        }
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once("drain", pump);
      }
      req.end();
    };
    pump();
  });
}

/** Reads the first bytes of a response to `path`, then drops the connection. */
function readThenDisconnect(path: string, after = 1024): Promise<string> {
  return new Promise((resolve) => {
    const req = request(`${stack().origin}${path}`, (res) => {
      let got = 0;
      res.on("data", (d: Buffer) => {
        got += d.length;
        if (got >= after) {
          req.destroy();
          resolve(`disconnected after ${got} bytes (status ${res.statusCode})`);
        }
      });
      res.on("end", () => resolve(`complete (${got} bytes)`));
    });
    req.on("error", () => resolve("socket closed"));
    req.end();
  });
}

/** Writes raw bytes on a fresh TCP connection, waits a moment, and closes it. */
function raw(bytes: string | Buffer, holdMs = 300): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(stack().port, "127.0.0.1", () => socket.write(bytes));
    let answer = "";
    socket.on("data", (d) => {
      answer += d.toString();
    });
    socket.on("error", () => {});
    setTimeout(() => {
      socket.destroy();
      resolve(answer.split("\r\n")[0] ?? "");
    }, holdMs);
  });
}

/** A slow loris: many connections that send a header line now and then and never finish the request. */
function slowLoris(connections: number, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const sockets = Array.from({ length: connections }, (_, i) => {
      const s = connect(stack().port, "127.0.0.1", () => s.write(`GET /api/v1/health?loris=${i} HTTP/1.1\r\nHost: x\r\n`));
      s.on("error", () => {});
      return s;
    });
    const drip = setInterval(() => {
      for (const s of sockets) s.write(`X-Drip-${Date.now()}: 1\r\n`);
    }, 500);
    setTimeout(() => {
      clearInterval(drip);
      for (const s of sockets) s.destroy();
      resolve();
    }, ms);
  });
}

/** The largest file the Worker serves from site/dist (a long response to walk away from). */
function largestAsset(): string {
  const root = "site/dist";
  let best = { path: "/", size: 0 };
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const full = join(dir, entry);
      const st = statSync(full);
      if (st.isDirectory()) walk(full);
      else if (st.size > best.size) best = { path: full.slice(root.length), size: st.size };
    }
  };
  walk(root);
  return best.path;
}

async function assertStillServing(): Promise<void> {
  const health = await fetch(`${stack().origin}/api/v1/health`);
  expect(health.status).toBe(200);
  const search = await fetch(`${stack().origin}/api/v1/properties?limit=5`);
  expect(search.status).toBe(200);
  expect(((await search.json()) as { success: boolean }).success).toBe(true);
  const token = await mintServiceToken(stackDatabaseUrl(stack().dataDir));
  const ingest = await fetch(`${stack().origin}/api/v1/properties`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify(uniqueListing()),
  });
  expect(ingest.status).toBeLessThan(300);
}

describe("npm start survives hostile clients", { retry: 0 }, () => {
  it("aborted 10 MB chunked uploads to the batch ingest", async () => {
    const outcomes: string[] = [];
    for (let i = 0; i < 6; i++) {
      outcomes.push(await chunkedUpload("/api/v1/properties/batch", 10 * MB, (1 + i) * MB));
    }
    outcomes.push(await chunkedUpload("/api/v1/properties/batch", 10 * MB));
    // Sent whole, the Worker refuses it with its 413 (or closes while the client is still sending).
    expect(["status 413", "socket closed"]).toContain(outcomes.at(-1));
    await new Promise((r) => setTimeout(r, 2_000));
    await assertStillServing();
  });

  it("oversized bodies, announced and not sent, or sent in full", async () => {
    // Content-Length of 50 MB, a little of it sent, then the client leaves.
    await raw(
      `POST /api/v1/properties/batch HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${50 * MB}\r\n\r\n[{"a":`,
      500,
    );
    // 3 MB sent in full with a Content-Length.
    const res = await fetch(`${stack().origin}/api/v1/properties`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: `{"pad":"${"x".repeat(3 * MB)}"}`,
    });
    expect([401, 413]).toContain(res.status);
    await res.arrayBuffer();
    await assertStillServing();
  });

  it("clients that disconnect in the middle of a streamed response", async () => {
    const asset = largestAsset();
    for (let i = 0; i < 5; i++) await readThenDisconnect(asset, 16 * 1024);
    for (let i = 0; i < 5; i++) await readThenDisconnect("/api/v1/live", 1);
    for (let i = 0; i < 5; i++) await readThenDisconnect("/api/v1/openapi.json", 1024);
    await assertStillServing();
  });

  it("a slow loris and malformed HTTP", async () => {
    await slowLoris(40, 4_000);
    const answers = [
      await raw("GARBAGE\r\n\r\n"),
      await raw("GET / HTTP/9.9\r\nHost: x\r\n\r\n"),
      await raw(`GET /${"a".repeat(100_000)} HTTP/1.1\r\nHost: x\r\n\r\n`),
      await raw("GET / HTTP/1.1\r\nHost: x\r\nBad Header With Spaces: 1\r\n\r\n"),
      await raw("POST /api/v1/properties/batch HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nZZZ\r\nnot hex\r\n"),
      await raw(Buffer.from([0x16, 0x03, 0x01, 0x00, 0xa5, 0x01, 0x00, 0x00, 0xa1, 0x03, 0x03])),
      await raw("GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
    ];
    expect(answers.length).toBe(7);
    await assertStillServing();
  });

  it("was served by the same Worker throughout: wrangler dev never exited", () => {
    expect(stack().child.exitCode).toBeNull();
    expect(stack().output()).not.toMatch(/the Worker \(wrangler dev\) exited/);
  });

  it("if the Worker's runtime dies anyway, npm start restarts it within seconds, says so, and keeps the databases", async () => {
    const processes = descendants(stack().child.pid as number);
    const cmdline = (pid: number) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ");
      } catch {
        return "";
      }
    };
    const wranglerPid = [...processes.keys()].find((pid) => /wrangler-dist\/cli\.js dev/.test(cmdline(pid)));
    // The databases' server processes (Postgres names its main process in postmaster.pid).
    const postmaster = Number(readFileSync(join(stack().dataDir, "postgres", "postmaster.pid"), "utf8").split("\n")[0]);
    const redis = [...processes].find(([, name]) => name === "redis-server")?.[0];
    expect(wranglerPid).toBeDefined();
    expect(processes.get(postmaster)).toBe("postgres");
    expect(redis).toBeDefined();

    const killedAt = Date.now();
    process.kill(wranglerPid as number, "SIGKILL");
    await stack().waitFor(/the Worker \(wrangler dev\) exited \([^)]*\); restarting it/, 10_000);
    await stack().waitFor(/the Worker is serving again/, 180_000);
    console.log(`survival: Worker serving again ${((Date.now() - killedAt) / 1000).toFixed(1)} s after it was killed`);
    await assertStillServing();
    const now = descendants(stack().child.pid as number);
    expect(now.get(postmaster)).toBe("postgres");
    expect(now.get(redis as number)).toBe("redis-server");
  }, 240_000);
});
