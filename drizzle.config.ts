import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "postgresql",
  schema: "./db/schema.ts",
  out: "./db/migrations",
  // PostGIS owns spatial_ref_sys and friends; drizzle-kit must leave them alone.
  extensionsFilters: ["postgis"],
  dbCredentials: { url: process.env.DATABASE_URL ?? "postgres://localhost/pillow" },
});
