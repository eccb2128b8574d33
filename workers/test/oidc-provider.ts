/**
 * A real OpenID provider for the tests (`oidc-provider`, certified by the OpenID Foundation), run in
 * Node by the vitest global setups on a free loopback port. Its login page is the library's development
 * interaction: any login name and password sign in, so a test "is" whoever it types. The login name
 * says what the provider asserts about that person:
 *   `ada@example.test`             → sub = the login, email ada@example.test, email_verified: true
 *   `ada@example.test#unverified`  → the same email with email_verified: false
 *   `#no-email-<anything>`         → no email at all
 * Two clients are registered for the same redirect URIs: `pillow-test`, and `pillow-test-aud`, whose ID
 * tokens this provider re-signs (with its own key) with another audience, so the relying party's `aud`
 * check meets a token that is authentic in every other way.
 */
import { randomBytes } from "node:crypto";
import { decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair, SignJWT } from "jose";
import Provider from "oidc-provider";
import { freePort } from "../../scripts/local/services";

export const TEST_CLIENTS = {
  main: { client_id: "pillow-test", client_secret: randomBytes(24).toString("base64url") },
  wrongAudience: { client_id: "pillow-test-aud", client_secret: randomBytes(24).toString("base64url") },
};
export const FOREIGN_AUDIENCE = "some-other-client";

export type TestOidcProvider = {
  issuer: string;
  clients: typeof TEST_CLIENTS;
  close: () => Promise<void>;
};

function claimsOf(login: string): Record<string, unknown> {
  const [email, flag] = login.split("#");
  if (!email) return { sub: login };
  return { sub: login, email, email_verified: flag !== "unverified" };
}

/**
 * Starts the provider; `redirectUris` are the relying party's callback URLs it accepts for both
 * clients. Bindings for the Worker: see `oidcBindings`.
 */
export async function startOidcProvider(redirectUris: string[]): Promise<TestOidcProvider> {
  const { privateKey } = await generateKeyPair("RS256", { extractable: true });
  const jwk = { ...(await exportJWK(privateKey)), kid: "test-op", alg: "RS256", use: "sig" };
  const clients = Object.values(TEST_CLIENTS).map((c) => ({
    ...c,
    redirect_uris: redirectUris,
    grant_types: ["authorization_code"],
    response_types: ["code"],
    token_endpoint_auth_method: "client_secret_basic",
  }));
  // The port first, since the issuer (which names it) is fixed when the provider is made.
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const provider = new Provider(issuer, {
    clients,
    jwks: { keys: [jwk] },
    cookies: { keys: [randomBytes(32).toString("base64url")] },
    claims: { openid: ["sub"], email: ["email", "email_verified"] },
    findAccount: (_ctx: unknown, id: string) => ({ accountId: id, claims: async () => claimsOf(id) }),
    features: { devInteractions: { enabled: true } },
    // Explicit lifetimes (seconds), which also keeps the library from noting each default it falls back to.
    ttl: { AuthorizationCode: 60, Interaction: 600, Session: 3600, Grant: 3600, AccessToken: 600, IdToken: 600 },
  });
  const signingKey = privateKey;
  provider.use(async (ctx, next) => {
    await next();
    const body = ctx.body as { id_token?: string } | undefined;
    if (ctx.path !== "/token" || ctx.oidc?.client?.clientId !== TEST_CLIENTS.wrongAudience.client_id || !body?.id_token) return;
    const header = decodeProtectedHeader(body.id_token);
    const payload = { ...decodeJwt(body.id_token), aud: FOREIGN_AUDIENCE };
    body.id_token = await new SignJWT(payload)
      .setProtectedHeader({ alg: "RS256", kid: header.kid ?? "test-op" })
      .sign(signingKey);
  });
  const server = provider.listen(port, "127.0.0.1");
  await new Promise<void>((resolve, reject) => {
    server.once("listening", resolve);
    server.once("error", reject);
  });
  return {
    issuer,
    clients: TEST_CLIENTS,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}

/** The Worker's bindings for the test provider: `local` (the main client) and, for the API tests, `wrong-aud`. */
export function oidcBindings(op: TestOidcProvider, { wrongAudience = true } = {}): Record<string, string> {
  const local = {
    OIDC_ISSUER_LOCAL: op.issuer,
    OIDC_CLIENT_ID_LOCAL: op.clients.main.client_id,
    OIDC_CLIENT_SECRET_LOCAL: op.clients.main.client_secret,
    OIDC_NAME_LOCAL: "Local test provider",
  };
  if (!wrongAudience) return local;
  return {
    ...local,
    OIDC_ISSUER_WRONG_AUD: op.issuer,
    OIDC_CLIENT_ID_WRONG_AUD: op.clients.wrongAudience.client_id,
    OIDC_CLIENT_SECRET_WRONG_AUD: op.clients.wrongAudience.client_secret,
    OIDC_NAME_WRONG_AUD: "Provider with a foreign audience",
  };
}
