/**
 * Structured logs: one JSON line per request with the request id, and never a secret. The test runs
 * whole auth flows (signup, failed and good logins, refresh, refresh reuse, token create / use /
 * revoke, service-token minting, logout) while capturing every console line, then scans the capture
 * for each password, token and hash those flows handled.
 */
import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { call, createUser, jwtBearerFor, testEnv, unique } from "../../../test/helpers";
import { sha256Hex } from "../auth";
import { getDb, schema } from "../db";

type Line = Record<string, unknown> & { request_id?: string; msg?: string };

let captured: string[] = [];
beforeEach(() => {
  captured = [];
  for (const level of ["log", "info", "warn", "error", "debug"] as const) {
    vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
      captured.push(args.map((a) => (typeof a === "string" ? a : JSON.stringify(a))).join(" "));
    });
  }
});
afterEach(() => vi.restoreAllMocks());

const json = (body: unknown, auth?: string) => ({
  method: "POST",
  headers: { "Content-Type": "application/json", ...(auth ? { Authorization: auth } : {}) },
  body: JSON.stringify(body),
});

describe("request logging", () => {
  it("writes one JSON line per request with method, route pattern, status, duration, request id and identity", async () => {
    const auth = await jwtBearerFor("user");
    captured = [];
    const id = crypto.randomUUID();
    const res = await call(`/api/v1/tokens/${id}?secret=in-the-query`, {
      method: "DELETE",
      headers: { Authorization: auth, "X-Request-Id": "trace-abc-123" },
    });
    expect(res.status).toBe(404);
    const lines = captured.map((l) => JSON.parse(l) as Line);
    const requests = lines.filter((l) => l.msg === "request");
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({
      level: "info",
      method: "DELETE",
      route: "/api/v1/tokens/:id",
      status: 404,
      request_id: "trace-abc-123",
      identity: "user",
      role: "user",
    });
    expect(typeof requests[0]?.duration_ms).toBe("number");
    expect(captured.join("\n")).not.toContain(id);
    expect(captured.join("\n")).not.toContain("in-the-query");
  });

  it("logs rejected credentials as such, still with the request id", async () => {
    const res = await call("/api/v1/tokens", { headers: { Authorization: "Bearer pil_nope" } });
    expect(res.status).toBe(401);
    const line = captured.map((l) => JSON.parse(l) as Line).find((l) => l.msg === "request");
    expect(line).toMatchObject({ status: 401, identity: "rejected", request_id: res.headers.get("x-request-id") });
  });

  it("never logs a password, password hash, token or token hash during the auth flows", async () => {
    const email = `${unique("logscan")}@example.com`;
    const password = `pw ${crypto.randomUUID()}`;
    const secrets: string[] = [password];
    const responses: Response[] = [];
    const send = async (path: string, init?: RequestInit) => {
      const res = await call(path, init);
      responses.push(res.clone());
      return res;
    };

    const signup = (await (await send("/api/v1/auth/signup", json({ email, password }))).json()) as {
      data: { access_token: string; refresh_token: string };
    };
    secrets.push(signup.data.access_token, signup.data.refresh_token);
    await send("/api/v1/auth/login", json({ email, password: `${password} but wrong` }));
    await send("/api/v1/auth/login", json({ email: `nobody-${email}`, password }));
    const login = (await (await send("/api/v1/auth/login", json({ email, password }))).json()) as {
      data: { access_token: string; refresh_token: string };
    };
    secrets.push(login.data.access_token, login.data.refresh_token);
    const refreshed = (await (await send("/api/v1/auth/refresh", json({ refresh_token: login.data.refresh_token }))).json()) as {
      data: { access_token: string; refresh_token: string };
    };
    secrets.push(refreshed.data.access_token, refreshed.data.refresh_token);
    await send("/api/v1/auth/refresh", json({ refresh_token: login.data.refresh_token })); // reuse → warning line

    const bearer = `Bearer ${signup.data.access_token}`;
    const created = (await (await send("/api/v1/tokens", json({ name: "scan" }, bearer))).json()) as {
      data: { id: string; token: string };
    };
    secrets.push(created.data.token);
    await send("/api/v1/tokens", { headers: { Authorization: `Bearer ${created.data.token}` } });
    await send(`/api/v1/tokens/${created.data.id}`, { method: "DELETE", headers: { Authorization: bearer } });
    await send("/api/v1/tokens", { headers: { Authorization: `Bearer ${created.data.token}` } }); // revoked → 401

    const admin = await createUser("admin");
    const adminBearer = await jwtBearerFor("admin", admin.id);
    secrets.push(adminBearer.slice("Bearer ".length));
    const service = (await (
      await send("/api/v1/admin/service-tokens", json({ service: "log-scan", sources: ["log-scan.example"] }, adminBearer))
    ).json()) as {
      data: { token: string };
    };
    secrets.push(service.data.token);
    await send("/api/v1/auth/logout", json({ refresh_token: refreshed.data.refresh_token }));

    // Everything the database holds about these credentials.
    const [user] = await getDb(testEnv).select().from(schema.users).where(eq(schema.users.email, email));
    expect(user?.passwordHash).toMatch(/^pbkdf2-sha256\$/);
    secrets.push(user!.passwordHash, ...user!.passwordHash.split("$").slice(2));
    for (const token of [...secrets]) if (/^(pil|plr)_/.test(token)) secrets.push(await sha256Hex(token));

    const log = captured.join("\n");
    expect(captured.length).toBeGreaterThanOrEqual(responses.length);
    for (const secret of secrets) {
      expect(log.includes(secret), `a secret (${secret.slice(0, 8)}…) appeared in the logs`).toBe(false);
      // JWTs: not even their signature part on its own.
      const signature = secret.split(".")[2];
      if (signature) expect(log.includes(signature)).toBe(false);
    }
    expect(log).not.toMatch(/pbkdf2-sha256\$/);
    for (const line of captured) {
      const parsed = JSON.parse(line) as Line;
      expect(parsed.request_id, line).toBeTruthy();
    }

    // And no response carries a password hash or a token hash.
    for (const res of responses) {
      const text = await res.text();
      expect(text).not.toContain(user!.passwordHash);
      expect(text).not.toMatch(/pbkdf2-sha256/);
      for (const secret of secrets.filter((s) => /^[0-9a-f]{64}$/.test(s))) expect(text).not.toContain(secret);
    }
  });
});
