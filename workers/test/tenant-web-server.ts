/**
 * The tests' stand-in for the outside web (Node side, started by the global setup): a
 * Nominatim-compatible geocoder and a web server for connector pages, on 127.0.0.1 only.
 *
 * Every test works in its own "tenant", the first path segment (`/<tenant>/search?q=…`), so tests
 * running in parallel never see each other's places, pages or request logs. A tenant is configured
 * over HTTP by the test itself (from inside workerd):
 *   POST /<tenant>/__fixture/places  [{match, result}]       Nominatim answers: `result` for any q containing `match`
 *   POST /<tenant>/__fixture/pages   {path, status?, body?, contentType?}   a page served at /<tenant><path>
 *   POST /<tenant>/__fixture/mode    {nominatim: "ok" | "down"}            "down" answers 503
 *   GET  /<tenant>/__fixture/requests                                     what the tenant was asked, with times
 *   POST /<tenant>/__fixture/hook    {statuses: [500, 500]}               a webhook receiver at /<tenant>/hook: answers
 *        these statuses in turn, then 200
 *   GET  /<tenant>/__fixture/hooks                                        what the receiver got: headers, body, status
 *   any  /<tenant>/__paused/…                                             accepted, never answered (HTTP and
 *        WebSocket upgrades alike): a paused Postgres or Redis, as the Worker's drivers see it through their
 *        endpoints (NEON_HTTP_ENDPOINT, NEON_WS_PROXY, UPSTASH_REDIS_REST_URL)
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";

type Place = { match: string; result: Record<string, unknown> };
type Page = { status: number; body: string; contentType: string };
type Tenant = {
  places: Place[];
  pages: Map<string, Page>;
  mode: "ok" | "down";
  requests: Array<{ path: string; query: Record<string, string>; at: number; userAgent: string | null }>;
  hookStatuses: number[];
  hooks: Array<{ headers: Record<string, string>; body: string; status: number; at: number }>;
};

export type FixtureServer = { url: string; close: () => Promise<void> };

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString("utf8") || "null");
}

function send(res: ServerResponse, status: number, body: unknown, contentType = "application/json"): void {
  res.writeHead(status, { "content-type": contentType });
  res.end(typeof body === "string" ? body : JSON.stringify(body));
}

export async function startFixtureServer(): Promise<FixtureServer> {
  const tenants = new Map<string, Tenant>();
  const tenantOf = (name: string): Tenant => {
    let t = tenants.get(name);
    if (!t) {
      t = { places: [], pages: new Map(), mode: "ok", requests: [], hookStatuses: [], hooks: [] };
      tenants.set(name, t);
    }
    return t;
  };

  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? "/", "http://fixture");
      const [, name = "", ...rest] = url.pathname.split("/");
      const path = `/${rest.join("/")}`;
      const tenant = tenantOf(name);
      // The connection stays open and silent until the client gives up (or the server closes).
      if (path.startsWith("/__paused/")) return;
      if (path.startsWith("/__fixture/")) {
        const what = path.slice("/__fixture/".length);
        if (req.method === "GET" && what === "requests") return send(res, 200, tenant.requests);
        if (req.method === "GET" && what === "hooks") return send(res, 200, tenant.hooks);
        const body = (await readJson(req)) as never;
        if (what === "places") tenant.places.push(...(body as Place[]));
        else if (what === "pages") {
          const p = body as { path: string; status?: number; body?: string; contentType?: string };
          tenant.pages.set(p.path, { status: p.status ?? 200, body: p.body ?? "", contentType: p.contentType ?? "text/html" });
        } else if (what === "mode") tenant.mode = (body as { nominatim: Tenant["mode"] }).nominatim;
        else if (what === "hook") tenant.hookStatuses = [...(body as { statuses: number[] }).statuses];
        else return send(res, 404, { error: "unknown fixture control" });
        return send(res, 204, "");
      }
      if (path === "/hook" && req.method === "POST") {
        const chunks: Buffer[] = [];
        for await (const chunk of req) chunks.push(chunk as Buffer);
        const status = tenant.hookStatuses.shift() ?? 200;
        const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
        tenant.hooks.push({ headers, body: Buffer.concat(chunks).toString("utf8"), status, at: Date.now() });
        return send(res, status, { received: status < 300 });
      }
      tenant.requests.push({
        path,
        query: Object.fromEntries(url.searchParams),
        at: Date.now(),
        userAgent: req.headers["user-agent"] ?? null,
      });
      if (path === "/search") {
        if (tenant.mode === "down") return send(res, 503, "<html>Service Unavailable</html>", "text/html");
        const q = (url.searchParams.get("q") ?? "").toLowerCase();
        const hits = tenant.places.filter((p) => q.includes(p.match.toLowerCase())).map((p) => p.result);
        return send(res, 200, hits.slice(0, Number(url.searchParams.get("limit") ?? 10)));
      }
      const page = tenant.pages.get(path);
      if (!page) return send(res, 404, "<html>Not Found</html>", "text/html");
      return send(res, page.status, page.body, page.contentType);
    } catch (err) {
      send(res, 500, { error: String(err) });
    }
  });
  // WebSocket upgrades (Neon's proxy protocol) to a paused path are held open without an answer too.
  server.on("upgrade", (req, socket) => {
    if (!(req.url ?? "").includes("/__paused/")) socket.destroy();
    else socket.on("error", () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
