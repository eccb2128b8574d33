/**
 * Endpoints that issue or manage credentials: sign-up, sign-in, refresh and logout, API tokens, the
 * admin endpoints (service tokens) and saved searches (their webhook signing secrets). Their answers are never stored by caches (`no-store`, RFC 6749 §5.1,
 * RFC 9111 §5.2.2.5), and when Redis is down they refuse (503) rather than run without brute-force
 * protection (docs/auth.md "When Redis is down").
 */
const CREDENTIAL_PREFIXES = ["/api/v1/auth/", "/api/v1/tokens", "/api/v1/admin/", "/api/v1/saved-searches"];

export function isCredentialEndpoint(path: string): boolean {
  return CREDENTIAL_PREFIXES.some((p) => path.startsWith(p));
}
