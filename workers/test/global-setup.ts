/**
 * Vitest global setup (runs in Node, once per run): boots the local data plane, applies migrations,
 * loads the gazetteer, starts the fixture web server (outside web + Nominatim-compatible geocoder),
 * and hands the endpoints to the workerd test runtime as bindings (see vitest.config.ts).
 */
import { existsSync } from "node:fs";
import type { TestProject } from "vitest/node";
import { loadCarriedGazetteer, loadGazetteer, readNzPostcodes } from "../../db/gazetteer";
import { migrateDatabase } from "../../db/migrate";
import { generateJwtKeys, type JwtKeyBindings } from "../../scripts/local/jwt-keys";
import { type LocalEnv, startServices } from "../../scripts/local/services";
import { startFixtureServer } from "./fixture-server";

declare module "vitest" {
  export interface ProvidedContext {
    localEnv: LocalEnv;
    jwtKeys: JwtKeyBindings;
    fixtureUrl: string;
  }
}

/** Unlicensed, so never carried in the repo: tests load it from the shared folder when it is there. */
const NZ_GAZETTEER = new URL("../../../shared/datasets/gazetteer/nz_postcodes_matthewproctor.csv", import.meta.url);

export default async function setup(project: TestProject) {
  const services = await startServices();
  const fixtures = await startFixtureServer();
  try {
    await migrateDatabase(services.env.DATABASE_URL);
    await loadCarriedGazetteer(services.env.DATABASE_URL);
    if (existsSync(NZ_GAZETTEER)) {
      await loadGazetteer(services.env.DATABASE_URL, "test-nz-postcodes", readNzPostcodes(NZ_GAZETTEER));
    }
  } catch (err) {
    await fixtures.close();
    await services.stop();
    throw err;
  }
  project.provide("localEnv", services.env);
  // A fresh signing key pair per run, like a deployment's secrets (never a key checked into the repo).
  project.provide("jwtKeys", await generateJwtKeys("test-key"));
  project.provide("fixtureUrl", fixtures.url);
  return async () => {
    await fixtures.close();
    await services.stop();
  };
}
