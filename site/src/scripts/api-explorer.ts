/**
 * A small OpenAPI 3.1 explorer: renders every operation of the live document with its parameters,
 * request body and responses, and sends requests to this origin. No framework; the spec is the only
 * source, so the page is always in step with the running API.
 */
import { escapeHtml as e } from "../lib/format";

type Schema = Record<string, unknown> & {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, Schema>;
  items?: Schema;
};
type Param = { name: string; in: string; required?: boolean; description?: string; schema?: Schema; example?: unknown };
type Operation = {
  summary?: string;
  description?: string;
  tags?: string[];
  parameters?: Param[];
  requestBody?: { content?: Record<string, { schema?: Schema; example?: unknown }> };
  responses?: Record<string, { description?: string; content?: Record<string, { schema?: Schema }> }>;
  security?: unknown[];
};
type Spec = {
  info?: { title?: string; version?: string };
  paths: Record<string, Record<string, Operation>>;
  components?: Record<string, Record<string, unknown>>;
};

const METHODS = ["get", "post", "put", "patch", "delete"];
const $ = (id: string) => document.getElementById(id)!;
let spec: Spec;

function resolve<T>(node: T): T {
  const ref = (node as { $ref?: string } | undefined)?.$ref;
  if (!ref?.startsWith("#/")) return node;
  let cur: unknown = spec;
  for (const part of ref.slice(2).split("/"))
    cur = (cur as Record<string, unknown>)?.[part.replace(/~1/g, "/").replace(/~0/g, "~")];
  return resolve(cur as T);
}

/** An example value built from a schema, used to prefill request bodies. */
function sample(schema: Schema | undefined, depth = 0): unknown {
  const s = resolve(schema);
  if (!s || depth > 5) return null;
  if (s.example !== undefined) return s.example;
  if (Array.isArray(s.examples) && s.examples.length) return s.examples[0];
  if (s.default !== undefined) return s.default;
  if (Array.isArray(s.enum)) return s.enum[0];
  for (const k of ["anyOf", "oneOf", "allOf"]) if (Array.isArray(s[k])) return sample((s[k] as Schema[])[0], depth + 1);
  const type = Array.isArray(s.type) ? s.type.find((t) => t !== "null") : s.type;
  if (type === "object" || s.properties) {
    const out: Record<string, unknown> = {};
    const required = new Set((s.required as string[]) ?? []);
    for (const [k, v] of Object.entries(s.properties ?? {})) if (required.has(k) || depth === 0) out[k] = sample(v, depth + 1);
    return out;
  }
  if (type === "array") return [sample(s.items, depth + 1)];
  if (type === "integer" || type === "number") return 0;
  if (type === "boolean") return false;
  if (type === "string")
    return s.format === "uuid"
      ? "00000000-0000-0000-0000-000000000000"
      : s.format === "date-time"
        ? new Date().toISOString()
        : "string";
  return null;
}

function typeOf(schema: Schema | undefined): string {
  const s = resolve(schema);
  if (!s) return "";
  if (Array.isArray(s.enum)) return s.enum.map(String).join(" | ");
  const t = Array.isArray(s.type) ? s.type.join(" | ") : (s.type ?? (s.anyOf ? "any of" : ""));
  return `${t}${s.format ? ` (${s.format})` : ""}`;
}

function expand(schema: Schema | undefined, depth = 0, seen = new Set<string>()): unknown {
  if (!schema || depth > 8) return schema;
  if (schema.$ref) {
    if (seen.has(schema.$ref)) return { $ref: schema.$ref };
    return expand(resolve(schema), depth + 1, new Set([...seen, schema.$ref]));
  }
  if (Array.isArray(schema)) return schema.map((x) => expand(x, depth + 1, seen));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(schema)) out[k] = v && typeof v === "object" ? expand(v as Schema, depth + 1, seen) : v;
  return out;
}

function renderOp(path: string, method: string, op: Operation, idx: number): string {
  const params = (op.parameters ?? []).map((p) => resolve(p));
  const body = op.requestBody ? resolve(op.requestBody) : undefined;
  const json = body?.content?.["application/json"];
  const bodyExample = json ? JSON.stringify(json.example ?? sample(json.schema), null, 2) : "";
  const secured = op.security === undefined || (Array.isArray(op.security) && op.security.length > 0);
  const rows = params
    .map(
      (
        p,
      ) => `<tr><td><code>${e(p.name)}</code>${p.required ? " *" : ""}<br><small>${e(p.in)} · ${e(typeOf(p.schema))}</small></td>
      <td>${p.description ? `<div>${e(p.description)}</div>` : ""}<input data-param="${e(p.name)}" data-in="${e(p.in)}" aria-label="${e(p.name)}" placeholder="${e(p.example ?? resolve(p.schema)?.example ?? "")}"></td></tr>`,
    )
    .join("");
  const responses = Object.entries(op.responses ?? {})
    .map(([code, r]) => {
      const res = resolve(r);
      const schema = res.content?.["application/json"]?.schema;
      return `<details class="ex-schema"><summary>${e(code)} ${e(res.description ?? "")}</summary>${schema ? `<pre class="ex-out">${e(JSON.stringify(expand(schema), null, 2))}</pre>` : ""}</details>`;
    })
    .join("");
  return `<details class="ex-op" id="op-${idx}" data-search="${e(`${method} ${path} ${op.summary ?? ""} ${(op.tags ?? []).join(" ")}`.toLowerCase())}">
  <summary><span class="ex-method ${method}">${method.toUpperCase()}</span><span class="ex-path">${e(path)}</span><span>${e(op.summary ?? "")}</span></summary>
  <div class="ex-body" data-path="${e(path)}" data-method="${method}">
    ${op.description ? `<p>${e(op.description)}</p>` : ""}
    ${secured ? "" : ""}
    ${rows ? `<table class="ex-params"><thead><tr><th>Parameter</th><th>Value</th></tr></thead><tbody>${rows}</tbody></table>` : ""}
    ${json ? `<label>Request body (application/json)<textarea data-body spellcheck="false">${e(bodyExample)}</textarea></label>` : ""}
    <button class="ex-send" type="button">Send</button>
    <pre class="ex-out" data-out hidden></pre>
    <div><strong>Responses</strong>${responses}</div>
  </div>
</details>`;
}

async function send(box: HTMLElement) {
  let path = box.dataset.path!;
  const method = box.dataset.method!.toUpperCase();
  const query = new URLSearchParams();
  const headers: Record<string, string> = { accept: "application/json" };
  for (const input of box.querySelectorAll<HTMLInputElement>("input[data-param]")) {
    const v = input.value.trim();
    if (!v) continue;
    const name = input.dataset.param!;
    if (input.dataset.in === "path") path = path.replace(`{${name}}`, encodeURIComponent(v));
    else if (input.dataset.in === "query") query.set(name, v);
    else if (input.dataset.in === "header") headers[name] = v;
  }
  const token = ($("ex-token") as HTMLInputElement).value.trim();
  if (token) headers.authorization = `Bearer ${token}`;
  const textarea = box.querySelector<HTMLTextAreaElement>("textarea[data-body]");
  if (textarea) headers["content-type"] = "application/json";
  const out = box.querySelector<HTMLElement>("[data-out]")!;
  out.hidden = false;
  out.textContent = "Sending…";
  const url = `${path}${query.size ? `?${query}` : ""}`;
  const started = performance.now();
  try {
    const res = await fetch(url, { method, headers, body: textarea ? textarea.value : undefined });
    const text = await res.text();
    let pretty = text;
    try {
      pretty = JSON.stringify(JSON.parse(text), null, 2);
    } catch {}
    out.textContent = `${method} ${url}\n→ ${res.status} ${res.statusText} in ${Math.round(performance.now() - started)} ms\n\n${pretty}`;
  } catch (err) {
    out.textContent = `Request failed: ${(err as Error).message}`;
  }
}

async function main() {
  try {
    const res = await fetch("/api/v1/openapi.json");
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    spec = await res.json();
  } catch (err) {
    $("ex-status").textContent = `Could not load /api/v1/openapi.json (${(err as Error).message}). Is the Worker running?`;
    return;
  }
  const byTag = new Map<string, string[]>();
  let idx = 0;
  let count = 0;
  for (const [path, item] of Object.entries(spec.paths ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const tag = op.tags?.[0] ?? path.split("/")[3] ?? "other";
      byTag.set(tag, [...(byTag.get(tag) ?? []), renderOp(path, method, op, idx++)]);
      count++;
    }
  }
  $("ex-ops").innerHTML = [...byTag]
    .map(([tag, ops]) => `<section><h2 class="ex-tag">${e(tag)}</h2>${ops.join("")}</section>`)
    .join("");
  $("ex-status").textContent = `${spec.info?.title ?? "API"} ${spec.info?.version ?? ""}: ${count} operations.`;
  $("ex-ops").addEventListener("click", (ev) => {
    const btn = (ev.target as HTMLElement).closest(".ex-send");
    if (btn) void send(btn.closest<HTMLElement>(".ex-body")!);
  });
  $("ex-filter").addEventListener("input", (ev) => {
    const q = (ev.target as HTMLInputElement).value.toLowerCase();
    for (const op of document.querySelectorAll<HTMLElement>(".ex-op")) op.hidden = !!q && !op.dataset.search!.includes(q);
  });
}

void main();
