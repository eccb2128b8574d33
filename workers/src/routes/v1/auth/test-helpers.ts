/** Small helpers shared by the auth route tests. */
import { call, callWithEnv, createUser } from "../../../../test/helpers";

export const PASSWORD = "correct horse battery staple";

export function postJson(path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return call(path, { method: "POST", headers: { "Content-Type": "application/json", ...headers }, body: JSON.stringify(body) });
}

export function postJsonWithEnv(path: string, env: Record<string, unknown>, body: unknown, headers: Record<string, string> = {}) {
  return callWithEnv(path, env, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
}

/** A user that can sign in with PASSWORD. */
export function userWithPassword(role: "user" | "service" | "admin" = "user") {
  return createUser(role, PASSWORD) as Promise<{ id: string; email: string; password: string; role: string }>;
}

export type SessionData = { access_token: string; refresh_token: string; user: { id: string; email: string; role: string } };

export async function login(email: string, password = PASSWORD): Promise<SessionData> {
  const res = await postJson("/api/v1/auth/login", { email, password });
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { data: SessionData }).data;
}
