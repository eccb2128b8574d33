/**
 * Vitest global setup (runs in Node, once per run): boots the local data plane, applies migrations,
 * and hands the endpoints to the workerd test runtime as bindings (see vitest.config.ts).
 */
import type { TestProject } from "vitest/node";
import { migrateDatabase } from "../../db/migrate";
import { generateJwtKeys, type JwtKeyBindings } from "../../scripts/local/jwt-keys";
import { type LocalEnv, startServices } from "../../scripts/local/services";

declare module "vitest" {
  export interface ProvidedContext {
    localEnv: LocalEnv;
    jwtKeys: JwtKeyBindings;
  }
}

export default async function setup(project: TestProject) {
  const services = await startServices();
  await migrateDatabase(services.env.DATABASE_URL);
  project.provide("localEnv", services.env);
  // A fresh signing key pair per run, like a deployment's secrets (never a key checked into the repo).
  project.provide("jwtKeys", await generateJwtKeys("test-key"));
  return async () => {
    await services.stop();
  };
}
