import { describe, expect, it } from "vitest";
import { call, callWithEnv, testEnv as env } from "../../../test/helpers";
import { newApp } from "./app";
import { allowBodyUpTo, DEFAULT_BODY_LIMIT_BYTES, MiB } from "./body-limit";

describe("security headers on API responses", () => {
  it.each([
    ["a success", "/api/v1/health"],
    ["an error", "/api/v1/no-such-route"],
  ])("are on %s", async (_, path) => {
    const res = await call(path);
    expect(res.headers.get("strict-transport-security")).toMatch(/max-age=\d{8,}/);
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
    expect(res.headers.get("content-security-policy")).toContain("default-src 'none'");
    expect(res.headers.get("x-request-id")).toBeTruthy();
  });

  it("are added even to responses whose headers are immutable (passed-through fetches, redirects)", async () => {
    const app = newApp();
    app.get("/api/test/redirect", () => Response.redirect("https://pillow.example/elsewhere", 302));
    const res = await app.request("/api/test/redirect", {}, env);
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("https://pillow.example/elsewhere");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("x-request-id")).toBeTruthy();
    expect(res.headers.get("ratelimit-limit")).toBeTruthy();
  });

  it("the site's pages get HSTS, nosniff, Referrer-Policy and a CSP from site/public/_headers", async () => {
    const { default: file } = (await import("../../../../site/public/_headers?raw")) as { default: string };
    const [first, ...rest] = file.split("\n").filter((l) => l.trim() && !l.trim().startsWith("#"));
    expect(first).toBe("/*");
    const headers = Object.fromEntries(
      rest.map((l) => {
        const [k, ...v] = l.trim().split(":");
        return [k?.toLowerCase(), v.join(":").trim()];
      }),
    );
    expect(headers["strict-transport-security"]).toMatch(/max-age=\d{8,}/);
    expect(headers["x-content-type-options"]).toBe("nosniff");
    expect(headers["referrer-policy"]).toBeTruthy();
    const csp = headers["content-security-policy"] ?? "";
    for (const directive of ["default-src 'self'", "object-src 'none'", "frame-ancestors 'none'", "base-uri 'self'"]) {
      expect(csp).toContain(directive);
    }
    expect(csp).not.toMatch(/script-src[^;]*\*/);
  });
});

describe("CORS", () => {
  const origin = "https://app.pillow.test";

  it("lets a listed origin call with credentials and read the rate-limit headers", async () => {
    const res = await call("/api/v1/health", { headers: { Origin: origin } });
    expect(res.headers.get("access-control-allow-origin")).toBe(origin);
    expect(res.headers.get("access-control-allow-credentials")).toBe("true");
    expect(res.headers.get("access-control-expose-headers")).toContain("RateLimit-Remaining");
    expect(res.headers.get("vary")).toContain("Origin");
  });

  it("answers a listed origin's preflight without credentials being checked", async () => {
    const res = await call("/api/v1/tokens", {
      method: "OPTIONS",
      headers: { Origin: origin, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization" },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBe(origin);
    expect(res.headers.get("access-control-allow-methods")).toContain("POST");
    expect(res.headers.get("access-control-allow-headers")).toContain("Authorization");
  });

  it("gives an unlisted origin no CORS headers at all", async () => {
    const evil = "https://evil.example";
    const res = await call("/api/v1/health", { headers: { Origin: evil } });
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
    expect(res.headers.get("access-control-allow-credentials")).toBeNull();
    const preflight = await call("/api/v1/tokens", {
      method: "OPTIONS",
      headers: { Origin: evil, "Access-Control-Request-Method": "DELETE" },
    });
    expect(preflight.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("with `*` in the list, lets any origin read without credentials; listed origins keep credentials", async () => {
    const env = { CORS_ALLOWED_ORIGINS: `${origin}, *` };
    const other = await callWithEnv("/api/v1/health", env, { headers: { Origin: "https://someone.example" } });
    expect(other.headers.get("access-control-allow-origin")).toBe("*");
    expect(other.headers.get("access-control-allow-credentials")).toBeNull();
    const listed = await callWithEnv("/api/v1/health", env, { headers: { Origin: origin } });
    expect(listed.headers.get("access-control-allow-credentials")).toBe("true");
  });
});

describe("request body limits", () => {
  it("rejects a write over the default limit with 413 and the envelope", async () => {
    const res = await call("/api/v1/auth/login", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ email: "a@example.com", password: "x".repeat(DEFAULT_BODY_LIMIT_BYTES) }),
    });
    expect(res.status).toBe(413);
    const body = (await res.json()) as { error: { code: string; request_id: string } };
    expect(body.error.code).toBe("PAYLOAD_TOO_LARGE");
    expect(body.error.request_id).toBe(res.headers.get("x-request-id"));
  });

  it("counts streamed bodies that declare no Content-Length", async () => {
    const chunk = new TextEncoder().encode("x".repeat(16 * 1024));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 8) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const res = await callWithEnv(
      "/api/v1/auth/login",
      {},
      {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: stream,
        // @ts-expect-error: workerd/undici need this for streamed request bodies
        duplex: "half",
      },
    );
    expect(res.status).toBe(413);
    const body = (await res.json()) as { success: boolean; error: { code: string; request_id: string } };
    expect(body.success).toBe(false);
    expect(body.error.code).toBe("PAYLOAD_TOO_LARGE");
    expect(body.error.request_id).toBe(res.headers.get("x-request-id"));
  });

  it("answers a streamed oversized body through the whole Worker with the envelope, after reading it out", async () => {
    const chunk = new TextEncoder().encode("x".repeat(16 * 1024));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        // Far more than the limit: the Worker stops counting at the cap and drains the rest (bounded).
        if (sent++ < 64) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const res = await call("/api/v1/auth/login", {
      method: "POST",
      headers: { "Content-Type": "application/json", "Transfer-Encoding": "chunked" },
      body: stream,
      // @ts-expect-error: workerd/undici need this for streamed request bodies
      duplex: "half",
    });
    expect(res.status).toBe(413);
    expect(res.headers.get("content-type")).toContain("application/json");
    const body = (await res.json()) as { success: boolean; error: { code: string } };
    expect(body).toMatchObject({ success: false, error: { code: "PAYLOAD_TOO_LARGE" } });
  });

  it("answers an announced oversized Content-Length with the envelope", async () => {
    const res = await call("/api/v1/auth/signup", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: "x".repeat(DEFAULT_BODY_LIMIT_BYTES + 1),
    });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("PAYLOAD_TOO_LARGE");
  });

  it("lets a route raise its own limit (as the ingest batch route does)", async () => {
    const app = newApp();
    app.post("/api/test/big-upload", async (c) => c.json({ bytes: (await c.req.arrayBuffer()).byteLength }));
    allowBodyUpTo("/api/test/big-upload", 1 * MiB);
    const ok = await app.request("/api/test/big-upload", { method: "POST", body: "x".repeat(512 * 1024) }, env);
    expect(ok.status).toBe(200);
    const tooBig = await app.request("/api/test/big-upload", { method: "POST", body: "x".repeat(2 * MiB) }, env);
    expect(tooBig.status).toBe(413);
  });
});
