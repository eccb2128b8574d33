/**
 * Vitest global setup (runs in Node, once per run): boots the local data plane, applies migrations,
 * loads the gazetteer, starts the test web servers (the connectors' saved-page site and the per-test
 * "outside web" with a Nominatim-compatible geocoder), and hands the endpoints to the workerd test
 * runtime as bindings (see vitest.config.ts).
 */
import type { TestProject } from "vitest/node";
import { loadCarriedGazetteer } from "../../db/gazetteer";
import { migrateDatabase } from "../../db/migrate";
import { generateJwtKeys, type JwtKeyBindings } from "../../scripts/local/jwt-keys";
import { type LocalEnv, startServices } from "../../scripts/local/services";
import { type FixtureServer, startFixtureServer } from "./fixture-server";
import { oidcBindings, startOidcProvider } from "./oidc-provider";
import { startFixtureServer as startTenantWebServer } from "./tenant-web-server";

declare module "vitest" {
  export interface ProvidedContext {
    localEnv: LocalEnv;
    /** The connectors' test web site (saved pages + misbehaving endpoints); see fixture-server.ts. */
    fixtures: Pick<FixtureServer, "urls" | "available">;
    jwtKeys: JwtKeyBindings;
    /** The per-test outside web (pages + geocoder); see tenant-web-server.ts. */
    fixtureUrl: string;
    /** The `OIDC_*` bindings for the tests' OpenID provider (workers/test/oidc-provider.ts). */
    oidcBindings: Record<string, string>;
  }
}

export default async function setup(project: TestProject) {
  const services = await startServices();
  const tenantWeb = await startTenantWebServer();
  const fixtures = await startFixtureServer();
  // The API tests call the Worker as http://pillow.test (test/helpers.ts `call`).
  const oidc = await startOidcProvider([
    "http://pillow.test/api/v1/auth/browser/oidc/local/callback",
    "http://pillow.test/api/v1/auth/browser/oidc/wrong-aud/callback",
  ]);
  const stop = async () => {
    await oidc.close();
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
    // A fresh signing key pair per run, like a deployment's secrets (never a key checked into the repo).
    project.provide("jwtKeys", await generateJwtKeys("test-key"));
    project.provide("fixtureUrl", tenantWeb.url);
    project.provide("oidcBindings", oidcBindings(oidc));
  } catch (err) {
    await stop();
    throw err;
  }
  return stop;
}
