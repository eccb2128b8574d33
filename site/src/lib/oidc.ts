/**
 * Signing in through OpenID Connect providers, the site's side: one button per provider the API lists
 * (`GET /api/v1/auth/browser/oidc`), each a plain link to the provider's start URL carrying the return
 * path; and the words for the `oidc_error` reasons the callback sends the browser back with
 * (workers/src/routes/v1/auth/oidc-callback.ts).
 */
import { timeLeft } from "./session";

export type OidcProvider = { id: string; name: string; start_url: string };

export async function listProviders(): Promise<OidcProvider[]> {
  try {
    const res = await fetch("/api/v1/auth/browser/oidc", { headers: { accept: "application/json" } });
    if (!res.ok) return [];
    return ((await res.json()) as { data: OidcProvider[] }).data;
  } catch {
    return [];
  }
}

/** The link that starts a sign-in with `provider` and comes back to `returnTo` (a same-site path). */
export function startLink(provider: OidcProvider, returnTo: string): string {
  return `${provider.start_url}?return_to=${encodeURIComponent(returnTo)}`;
}

const MESSAGES: Record<string, string> = {
  denied: "You declined at the provider, so you are not signed in.",
  provider_error: "The provider could not sign you in. Try again, or use your password.",
  state: "That sign-in expired or was already used, or was started in another browser. Please start again.",
  failed: "The provider's answer did not pass Pillow's checks, so you are not signed in. Please start again.",
  no_email: "The provider did not share an email address, which a Pillow account needs.",
  unverified_email:
    "An account with this email already exists, and the provider has not confirmed the address is yours, so it was not linked. Sign in with your password instead.",
  disabled: "This account is disabled.",
  unavailable: "The provider or Pillow could not be reached. Please try again shortly.",
};

/** The message for the page's `oidc_error`, or null when there is none. */
export function oidcErrorMessage(params: URLSearchParams): string | null {
  const reason = params.get("oidc_error");
  if (!reason) return null;
  if (reason === "rate_limited") {
    const wait = Number(params.get("retry_after"));
    return `Too many sign-in attempts. Try again in ${timeLeft(Number.isFinite(wait) && wait > 0 ? wait : 60)}.`;
  }
  return MESSAGES[reason] ?? "Signing in with the provider failed. Please try again.";
}
