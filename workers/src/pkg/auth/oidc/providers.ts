/**
 * The OpenID Connect providers people may sign in with, read from bindings (docs/guides/oidc-provider.md).
 * One provider per suffix: `OIDC_ISSUER_<ID>`, `OIDC_CLIENT_ID_<ID>`, `OIDC_CLIENT_SECRET_<ID>` (secret;
 * absent for a public client, which PKCE alone protects) and `OIDC_NAME_<ID>` (the button's label). The
 * suffix, lower-cased with `_` as `-`, is the provider's id in the sign-in URLs. The unsuffixed
 * `OIDC_ISSUER`, `OIDC_CLIENT_ID`, `OIDC_CLIENT_SECRET`, `OIDC_NAME` configure one provider with the id
 * `default`. Suffixed names rather than one JSON binding, so each client secret is its own
 * `wrangler secret` and the rest can stay plain `[vars]`.
 */
import type { Env } from "../../../env";

export type OidcProvider = {
  id: string;
  name: string;
  issuer: URL;
  clientId: string;
  clientSecret?: string;
};

const ISSUER = /^OIDC_ISSUER(?:_([A-Z0-9_]{1,40}))?$/;
export const PROVIDER_ID = /^[a-z0-9-]{1,40}$/;

function setting(env: Env, name: string): string | undefined {
  const value = env[name];
  return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
}

/**
 * Only `https` issuers, as OIDC Core §3.1.2.1 requires; `http` is accepted for a loopback host alone
 * (a provider on the same machine, as in local development), never across a network.
 */
export function acceptableIssuer(value: string): URL | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  if (url.search || url.hash) return undefined;
  if (url.protocol === "https:") return url;
  return url.protocol === "http:" && isLoopback(url.hostname) ? url : undefined;
}

export function isLoopback(hostname: string): boolean {
  return hostname === "localhost" || hostname === "[::1]" || /^127(?:\.\d{1,3}){3}$/.test(hostname);
}

/** Every complete provider configuration, sorted by id. Incomplete ones are reported in `problems`. */
export function configuredProviders(env: Env): { providers: OidcProvider[]; problems: string[] } {
  const providers: OidcProvider[] = [];
  const problems: string[] = [];
  for (const key of Object.keys(env)) {
    const match = ISSUER.exec(key);
    if (!match) continue;
    const suffix = match[1] ? `_${match[1]}` : "";
    const id = match[1] ? match[1].toLowerCase().replaceAll("_", "-") : "default";
    const rawIssuer = setting(env, key);
    if (!rawIssuer) continue;
    const issuer = acceptableIssuer(rawIssuer);
    const clientId = setting(env, `OIDC_CLIENT_ID${suffix}`);
    if (!issuer) problems.push(`${key} is not an https URL (http only on a loopback host)`);
    else if (!clientId) problems.push(`OIDC_CLIENT_ID${suffix} is missing`);
    else
      providers.push({
        id,
        name: setting(env, `OIDC_NAME${suffix}`) ?? issuer.hostname,
        issuer,
        clientId,
        clientSecret: setting(env, `OIDC_CLIENT_SECRET${suffix}`),
      });
  }
  providers.sort((a, b) => a.id.localeCompare(b.id));
  return { providers, problems };
}

export function findProvider(env: Env, id: string): OidcProvider | undefined {
  return configuredProviders(env).providers.find((p) => p.id === id);
}
