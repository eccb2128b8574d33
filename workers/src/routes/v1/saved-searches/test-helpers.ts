/** Helpers for the saved-search route tests. */
import { call, createUser, jwtBearerFor } from "../../../../test/helpers";

export type Created = {
  id: string;
  name: string;
  query: string;
  events: string[];
  webhook_url: string | null;
  webhook_secret: string | null;
};

/** A fresh user's Authorization header (an access JWT). */
export async function userAuth(): Promise<string> {
  return jwtBearerFor("user", (await createUser("user")).id);
}

export function jsonCall(path: string, method: string, auth: string, body?: unknown): Promise<Response> {
  return call(path, {
    method,
    headers: { Authorization: auth, ...(body === undefined ? {} : { "Content-Type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

export async function createSavedSearch(auth: string, body: Record<string, unknown> = {}): Promise<Created> {
  const res = await jsonCall("/api/v1/saved-searches", "POST", auth, {
    name: "Hobart under 900k",
    query: "city=Hobart&max_price=900000",
    ...body,
  });
  if (res.status !== 201) throw new Error(`create saved search: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { data: Created }).data;
}
