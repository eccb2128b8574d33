/**
 * Vitest global setup (runs in Node, once per run): boots the local data plane, applies migrations,
 * and hands the endpoints to the workerd test runtime as bindings (see vitest.config.ts).
 */
import type { TestProject } from "vitest/node";
import { migrateDatabase } from "../../db/migrate";
import { type LocalEnv, startServices } from "../../scripts/local/services";

declare module "vitest" {
  export interface ProvidedContext {
    localEnv: LocalEnv;
  }
}

export default async function setup(project: TestProject) {
  const services = await startServices();
  await migrateDatabase(services.env.DATABASE_URL);
  project.provide("localEnv", services.env);
  return async () => {
    await services.stop();
  };
}
