/** Who is calling. Set on every request by `authenticate()`; read by `requireRole()` and handlers. */
export const ROLES = ["anonymous", "user", "service", "admin"] as const;
export type Role = (typeof ROLES)[number];

export type Identity =
  | { kind: "anonymous"; role: "anonymous"; subject: string }
  | {
      kind: "token";
      role: Exclude<Role, "anonymous">;
      subject: string;
      tokenId: string;
      userId: string | null;
      /** Service tokens: the source names it may ingest under (`*`: any); see source-grant.ts. */
      sources: string[] | null;
    }
  | { kind: "user"; role: Exclude<Role, "anonymous">; subject: string; userId: string };

/** Roles ordered by power: a caller may act with (and mint tokens for) any role at or below its own. */
const rank: Record<Role, number> = { anonymous: 0, user: 1, service: 2, admin: 3 };

export function roleAtMost(role: Role, ceiling: Role): boolean {
  return rank[role] <= rank[ceiling];
}
