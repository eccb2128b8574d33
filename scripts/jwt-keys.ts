/**
 * `npm run jwt-keys`: prints a fresh ES256 key pair for production secrets. Pipe each value into
 * `npx wrangler secret put JWT_PRIVATE_KEY` / `JWT_PUBLIC_KEYS` (see docs/auth.md, "Rotating keys").
 * `--kid <id>` names the key (default: today's date).
 */
import { generateJwtKeys } from "./local/jwt-keys.ts";

const kidAt = process.argv.indexOf("--kid");
const keys = await generateJwtKeys(kidAt > 0 ? process.argv[kidAt + 1] : undefined);
console.log(`JWT_PRIVATE_KEY=${keys.JWT_PRIVATE_KEY}`);
console.log(`JWT_PUBLIC_KEYS=${keys.JWT_PUBLIC_KEYS}`);
