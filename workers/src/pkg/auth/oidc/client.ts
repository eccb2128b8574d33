/**
 * The OpenID Connect relying party, through `openid-client` (v6: fetch and WebCrypto only, so it runs in
 * workerd). A provider's discovery document is fetched once per isolate and kept for an hour; the client
 * authenticates with `client_secret_basic` when it has a secret, else as a public client (PKCE only).
 * ID tokens are checked for signature (against the provider's JWKS), `iss`, `aud`, `exp`, `nonce`, and
 * the authorization response for `state` and `iss` (RFC 9207, when the provider says it sends it).
 */
import * as oidc from "openid-client";
import { isLoopback, type OidcProvider } from "./providers";

const DISCOVERY_TTL_MS = 60 * 60 * 1000;
/** Seconds a call to the provider (discovery, token, userinfo, JWKS) may take. */
const PROVIDER_TIMEOUT_S = 10;

const cache = new Map<string, { config: oidc.Configuration; at: number }>();

async function cacheKey(p: OidcProvider): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(p.clientSecret ?? ""));
  return `${p.issuer.href} ${p.clientId} ${btoa(String.fromCharCode(...new Uint8Array(digest)))}`;
}

/** The provider's configuration (its discovery document and our client), from the isolate's cache when fresh. */
export async function providerConfig(p: OidcProvider): Promise<oidc.Configuration> {
  const key = await cacheKey(p);
  const hit = cache.get(key);
  if (hit && Date.now() - hit.at < DISCOVERY_TTL_MS) return hit.config;
  const auth = p.clientSecret ? oidc.ClientSecretBasic(p.clientSecret) : oidc.None();
  // `providers.ts` accepts plain http only for a loopback issuer; the library is told so for that case alone.
  const execute = [
    oidc.enableNonRepudiationChecks,
    ...(p.issuer.protocol === "http:" && isLoopback(p.issuer.hostname) ? [oidc.allowInsecureRequests] : []),
  ];
  const config = await oidc.discovery(p.issuer, p.clientId, undefined, auth, {
    execute,
    timeout: PROVIDER_TIMEOUT_S,
  });
  cache.set(key, { config, at: Date.now() });
  return config;
}

export type Checks = { state: string; nonce: string; verifier: string };

export async function newChecks(): Promise<Checks & { challenge: string }> {
  const verifier = oidc.randomPKCECodeVerifier();
  return {
    state: oidc.randomState(),
    nonce: oidc.randomNonce(),
    verifier,
    challenge: await oidc.calculatePKCECodeChallenge(verifier),
  };
}

export function authorizationUrl(config: oidc.Configuration, redirectUri: string, checks: Checks & { challenge: string }): URL {
  return oidc.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope: "openid email",
    response_type: "code",
    state: checks.state,
    nonce: checks.nonce,
    code_challenge: checks.challenge,
    code_challenge_method: "S256",
  });
}

/** What the provider says about the person: `iss` and `sub` always; email when it shares it. */
export type Asserted = { issuer: string; subject: string; email?: string; emailVerified: boolean };

/**
 * Exchanges the code (with the PKCE verifier) and validates the ID token. The email comes from the ID
 * token, or from the userinfo endpoint when the provider keeps it there (OIDC Core §5.4: scope claims
 * go to userinfo when an access token is issued), checked to be about the same `sub`.
 */
export async function redeemCode(config: oidc.Configuration, callbackUrl: URL, checks: Checks): Promise<Asserted> {
  const tokens = await oidc.authorizationCodeGrant(config, callbackUrl, {
    pkceCodeVerifier: checks.verifier,
    expectedState: checks.state,
    expectedNonce: checks.nonce,
    idTokenExpected: true,
  });
  const claims = tokens.claims();
  if (!claims) throw new Error("the token response has no ID token");
  let email: unknown = claims.email;
  let verified: unknown = claims.email_verified;
  if (email === undefined && config.serverMetadata().userinfo_endpoint) {
    const info = await oidc.fetchUserInfo(config, tokens.access_token, claims.sub);
    email = info.email;
    verified = info.email_verified;
  }
  return {
    issuer: claims.iss,
    subject: claims.sub,
    email: typeof email === "string" ? email : undefined,
    // Some providers send the string "true"; anything else (absent, false) is not a verified email.
    emailVerified: verified === true || verified === "true",
  };
}
