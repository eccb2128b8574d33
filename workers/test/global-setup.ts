/**
 * Vitest global setup (runs in Node, once per run): boots the local data plane, applies migrations,
 * and hands the endpoints to the workerd test runtime as bindings (see vitest.config.ts).
 */
import { createHash, randomBytes } from "node:crypto";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { migrateDatabase } from "../../db/migrate";
import { generateJwtKeys, type JwtKeyBindings } from "../../scripts/local/jwt-keys";
import { type LocalEnv, startServices } from "../../scripts/local/services";
import { type FixtureServer, startFixtureServer } from "./fixture-server";

declare module "vitest" {
  export interface ProvidedContext {
    localEnv: LocalEnv;
    /** The connectors' test web site (saved pages + misbehaving endpoints); see fixture-server.ts. */
    fixtures: Pick<FixtureServer, "urls" | "available">;
    /** A `service` API token for the crawl consumer (binding CRAWLER_MILL_TOKEN). */
    crawlerToken: string;
    jwtKeys: JwtKeyBindings;
  }
}

export default async function setup(project: TestProject) {
  const services = await startServices();
  await migrateDatabase(services.env.DATABASE_URL);
  project.provide("localEnv", services.env);
  const fixtures = await startFixtureServer();
  if (!fixtures.available)
    console.warn("connectors: ../shared/fixtures or ../shared/datasets absent — fixture-based tests will be skipped");
  project.provide("fixtures", { urls: fixtures.urls, available: fixtures.available });
  // The crawl consumer submits with a real service token, minted here as `npm run token` would.
  const crawlerToken = `pil_${randomBytes(32).toString("base64url")}`;
  const db = new pg.Client(services.env.DATABASE_URL);
  await db.connect();
  await db.query("INSERT INTO api_tokens (name, token_hash, prefix, role, service) VALUES ($1, $2, $3, 'service', 'crawler')", [
    "test crawler",
    createHash("sha256").update(crawlerToken).digest("hex"),
    crawlerToken.slice(0, 10),
  ]);
  await db.end();
  project.provide("crawlerToken", crawlerToken);
  // A fresh signing key pair per run, like a deployment's secrets (never a key checked into the repo).
  project.provide("jwtKeys", await generateJwtKeys("test-key"));
  return async () => {
    await fixtures.close();
    await services.stop();
  };
}
