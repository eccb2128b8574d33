/** `npm run db:migrate`: applies all migrations to $DATABASE_URL, then (re)loads the carried gazetteer. */
import { loadCarriedGazetteer } from "../db/gazetteer.ts";
import { migrateDatabase } from "../db/migrate.ts";

const url = process.env.DATABASE_URL;
if (!url) {
  console.error("DATABASE_URL is not set");
  process.exit(1);
}
await migrateDatabase(url);
console.log("migrations applied");
console.log(`gazetteer loaded: ${await loadCarriedGazetteer(url)} places`);
