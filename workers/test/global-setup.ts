/**
 * Vitest global setup (runs in Node, once per run): boots the local data plane, applies migrations,
 * loads the gazetteer, starts the test web servers (the connectors' saved-page site and the per-test
 * "outside web" with a Nominatim-compatible geocoder), and hands the endpoints to the workerd test
 * runtime as bindings (see vitest.config.ts).
 */
import { createHash, randomBytes } from "node:crypto";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { loadCarriedGazetteer } from "../../db/gazetteer";
import { migrateDatabase } from "../../db/migrate";
import { generateJwtKeys, type JwtKeyBindings } from "../../scripts/local/jwt-keys";
import { type LocalEnv, startServices } from "../../scripts/local/services";
import { type FixtureServer, startFixtureServer } from "./fixture-server";
import { startFixtureServer as startTenantWebServer } from "./tenant-web-server";

declare module "vitest" {
  export interface ProvidedContext {
    localEnv: LocalEnv;
    /** The connectors' test web site (saved pages + misbehaving endpoints); see fixture-server.ts. */
    fixtures: Pick<FixtureServer, "urls" | "available">;
    /** A `service` API token for the crawl consumer (binding CRAWLER_MILL_TOKEN). */
    crawlerToken: string;
    jwtKeys: JwtKeyBindings;
    /** The per-test outside web (pages + geocoder); see tenant-web-server.ts. */
    fixtureUrl: string;
  }
}

/** The crawl consumer submits with a real service token, minted here as `npm run token` would. */
async function mintCrawlerToken(databaseUrl: string): Promise<string> {
  const token = `pil_${randomBytes(32).toString("base64url")}`;
  const db = new pg.Client(databaseUrl);
  await db.connect();
  try {
    await db.query(
      "INSERT INTO api_tokens (name, token_hash, prefix, role, service, sources) VALUES ($1, $2, $3, 'service', 'crawler', '{*}')",
      ["test crawler", createHash("sha256").update(token).digest("hex"), token.slice(0, 10)],
    );
  } finally {
    await db.end();
  }
  return token;
}

export default async function setup(project: TestProject) {
  const services = await startServices();
  const tenantWeb = await startTenantWebServer();
  const fixtures = await startFixtureServer();
  const stop = async () => {
    await fixtures.close();
    await tenantWeb.close();
    await services.stop();
  };
  try {
    await migrateDatabase(services.env.DATABASE_URL);
    // AU, GB, NZ and US from the carried GeoNames files (the unlicensed NZ list is no longer needed).
    await loadCarriedGazetteer(services.env.DATABASE_URL);
    if (!fixtures.available) {
      console.warn("connectors: ../shared/fixtures or ../shared/datasets absent — fixture-based tests will be skipped");
    }
    project.provide("localEnv", services.env);
    project.provide("fixtures", { urls: fixtures.urls, available: fixtures.available });
    project.provide("crawlerToken", await mintCrawlerToken(services.env.DATABASE_URL));
    // A fresh signing key pair per run, like a deployment's secrets (never a key checked into the repo).
    project.provide("jwtKeys", await generateJwtKeys("test-key"));
    project.provide("fixtureUrl", tenantWeb.url);
  } catch (err) {
    await stop();
    throw err;
  }
  return stop;
}
