/**
 * `npm run token -- --service <connector> --sources a.example,b.example`: mints a `service` token for a
 * connector that may ingest only under those source names (`--sources '*'`: any, for importers of many
 * sources; the grant is always explicit). Admins change it later with PATCH /api/v1/admin/service-tokens/{id}.
 * `npm run token -- --role admin --name <who>`: mints an admin token (to bootstrap: the admin endpoint
 * `POST /api/v1/admin/service-tokens` needs one). Options: `--expires-days <n>`.
 *
 * Writes only the token's SHA-256 and display prefix to $DATABASE_URL's `api_tokens` and prints the
 * token once on stdout. It is not stored anywhere else: keep it in the connector's secret store.
 */
import { parseArgs } from "node:util";
import pg from "pg";
import { displayPrefix, generateApiToken, sha256Hex } from "../workers/src/pkg/auth/api-token.ts";
import { parseSourceList } from "../workers/src/pkg/auth/source-grant.ts";

const { values } = parseArgs({
  options: {
    service: { type: "string" },
    sources: { type: "string" },
    role: { type: "string" },
    name: { type: "string" },
    "expires-days": { type: "string" },
  },
});

function fail(message: string): never {
  console.error(`token: ${message}`);
  console.error(
    "usage: npm run token -- --service <connector> --sources <a.example,b.example | '*'> | --role admin --name <who> [--expires-days <n>]",
  );
  process.exit(1);
}

const role = values.role ?? (values.service ? "service" : undefined);
if (!role) fail("give --service <connector> or --role admin");
if (!["service", "admin"].includes(role)) fail("--role must be service or admin (user tokens are made through the API)");
if (role === "service" && !values.service) fail("a service token needs --service <connector>");
if (values.service && !/^[a-z0-9][a-z0-9_-]{0,62}$/.test(values.service)) fail("--service: lowercase letters, digits, - and _");
if (role === "service" && values.sources === undefined)
  fail("a service token needs --sources a.example,b.example (the source names it may ingest under), or --sources '*'");
if (role !== "service" && values.sources !== undefined) fail("--sources is for service tokens only");
const grant = values.sources === undefined ? undefined : parseSourceList(values.sources);
if (grant && "error" in grant) fail(`--sources: ${grant.error}`);
const sources = grant && "sources" in grant ? grant.sources : null;
const days = values["expires-days"] === undefined ? undefined : Number(values["expires-days"]);
if (days !== undefined && !(days > 0)) fail("--expires-days must be a positive number");
const url = process.env.DATABASE_URL;
if (!url) fail("DATABASE_URL is not set");

const token = generateApiToken();
const client = new pg.Client({ connectionString: url });
await client.connect();
try {
  const { rows } = await client.query<{ id: string }>(
    `INSERT INTO api_tokens (name, token_hash, prefix, role, service, sources, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
    [
      values.name ?? (values.service ? `service ${values.service}` : `${role} token`),
      await sha256Hex(token),
      displayPrefix(token),
      role,
      values.service ?? null,
      sources,
      days === undefined ? null : new Date(Date.now() + days * 86_400_000),
    ],
  );
  const scope = values.service ? ` for ${values.service} (sources: ${sources?.join(", ")})` : "";
  console.error(`token: created ${role} token ${rows[0]?.id}${scope}; shown once:`);
  console.log(token);
} finally {
  await client.end();
}
