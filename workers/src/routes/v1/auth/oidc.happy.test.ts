import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { call, testEnv } from "../../../../test/helpers";
import { getDb, schema } from "../../../pkg/db";
import { browserPost, type Jar } from "./browser-test-helpers";
import {
  arrive,
  authorizeAt,
  landing,
  newEmail,
  OIDC,
  sessionUser,
  signInThroughProvider,
  startSignIn,
} from "./oidc-test-helpers";
import { PASSWORD, userWithPassword } from "./test-helpers";

async function usersWithEmail(email: string) {
  return getDb(testEnv).select().from(schema.users).where(eq(schema.users.email, email));
}

describe("OpenID Connect sign-in", () => {
  it("lists the configured providers, each with its sign-in URL", async () => {
    const res = await call(OIDC);
    expect(res.status).toBe(200);
    const { data } = (await res.json()) as { data: Array<{ id: string; name: string; start_url: string }> };
    expect(data).toContainEqual({ id: "local", name: "Local test provider", start_url: `${OIDC}/local/start` });
  });

  it("a first sign-in creates the account and lands on /account/ signed in", async () => {
    const email = newEmail();
    const { jar, res } = await signInThroughProvider(email);
    expect(landing(res)).toEqual({ path: "/account/", error: null });
    const [user] = await usersWithEmail(email);
    expect(user?.role).toBe("user");
    expect((await sessionUser(jar))?.email).toBe(email);
    const identities = await getDb(testEnv)
      .select()
      .from(schema.oidcIdentities)
      .where(eq(schema.oidcIdentities.userId, user!.id));
    expect(identities).toHaveLength(1);
    expect(identities[0]).toMatchObject({ subject: email, provider: "local", email });
    // The attempt's cookie is spent.
    expect([...jar.keys()].filter((name) => name.startsWith("__Secure-pillow_oidc_"))).toEqual([]);
  });

  it("a later sign-in opens the same account, and goes to the return path asked for", async () => {
    const email = newEmail();
    const first = await signInThroughProvider(email);
    const firstUser = await sessionUser(first.jar);
    const again = await signInThroughProvider(email, { returnTo: "/account/?tab=keys#api" });
    expect(again.res.headers.get("location")).toBe("/account/?tab=keys#api");
    expect((await sessionUser(again.jar))?.id).toBe(firstUser?.id);
    expect(await usersWithEmail(email)).toHaveLength(1);
  });

  it("two sign-ins started at once in one browser (a double click) each still finish", async () => {
    const jar: Jar = new Map();
    const [first, second] = await Promise.all([startSignIn(jar), startSignIn(jar)]);
    const email = newEmail("twice");
    const res = await arrive(jar, await authorizeAt(first!, email));
    expect(landing(res)).toEqual({ path: "/account/", error: null });
    const other = await arrive(jar, await authorizeAt(second!, email));
    expect(landing(other)).toEqual({ path: "/account/", error: null });
  });

  it("links an existing password account when the provider asserts a verified email; the password still works", async () => {
    const user = await userWithPassword();
    const { jar, res } = await signInThroughProvider(user.email);
    expect(landing(res).error).toBeNull();
    expect((await sessionUser(jar))?.id).toBe(user.id);
    const identities = await getDb(testEnv).select().from(schema.oidcIdentities).where(eq(schema.oidcIdentities.userId, user.id));
    expect(identities).toHaveLength(1);
    const password: Jar = new Map();
    expect((await browserPost("/api/v1/auth/browser/signin", password, { email: user.email, password: PASSWORD })).status).toBe(
      200,
    );
  });
});
