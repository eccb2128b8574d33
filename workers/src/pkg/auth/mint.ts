import type { Env } from "../../env";
import { getDb, schema } from "../db";
import { displayPrefix, generateApiToken, sha256Hex } from "./api-token";
import type { Role } from "./identity";

export type MintedToken = {
  id: string;
  name: string;
  role: Exclude<Role, "anonymous">;
  service: string | null;
  sources: string[] | null;
  prefix: string;
  createdAt: Date;
  expiresAt: Date | null;
  /** The token itself: returned once to the caller, never stored or logged. */
  token: string;
};

/** Creates an API token and stores only its SHA-256 and display prefix. */
export async function mintApiToken(
  env: Env,
  input: {
    name: string;
    role: Exclude<Role, "anonymous">;
    userId?: string | null;
    service?: string | null;
    /** Service tokens: the source names it may ingest under (`["*"]`: any). */
    sources?: string[] | null;
    expiresAt?: Date | null;
  },
): Promise<MintedToken> {
  const token = generateApiToken();
  const t = schema.apiTokens;
  const [row] = await getDb(env)
    .insert(t)
    .values({
      name: input.name,
      role: input.role,
      userId: input.userId ?? null,
      service: input.service ?? null,
      sources: input.sources ?? null,
      expiresAt: input.expiresAt ?? null,
      tokenHash: await sha256Hex(token),
      prefix: displayPrefix(token),
    })
    .returning({ id: t.id, createdAt: t.createdAt, expiresAt: t.expiresAt, prefix: t.prefix });
  if (!row) throw new Error("insert returned no row");
  return {
    id: row.id,
    name: input.name,
    role: input.role,
    service: input.service ?? null,
    sources: input.sources ?? null,
    prefix: row.prefix,
    createdAt: row.createdAt,
    expiresAt: row.expiresAt,
    token,
  };
}
