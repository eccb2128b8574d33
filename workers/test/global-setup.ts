/**
 * Vitest global setup (runs in Node, once per run): boots the local data plane, applies migrations,
 * and hands the endpoints to the workerd test runtime as bindings (see vitest.config.ts).
 */
import type { TestProject } from "vitest/node";
import { migrateDatabase } from "../../db/migrate";
import { type LocalEnv, startServices } from "../../scripts/local/services";
import { type FixtureServer, startFixtureServer } from "./fixture-server";

declare module "vitest" {
  export interface ProvidedContext {
    localEnv: LocalEnv;
    /** The connectors' test web site (saved pages + misbehaving endpoints); see fixture-server.ts. */
    fixtures: Pick<FixtureServer, "urls" | "available">;
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
  return async () => {
    await fixtures.close();
    await services.stop();
  };
}
