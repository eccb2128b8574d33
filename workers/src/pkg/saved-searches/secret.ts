/**
 * Webhook signing secrets in the Standard Webhooks format: `whsec_` and 32 random bytes in base64
 * (https://www.standardwebhooks.com, "Signature scheme"). The `standardwebhooks` library signs with it as
 * it is. It is a symmetric key the Worker needs at every delivery, so it is stored as it is, not hashed
 * (see migration 0015 and docs/saved-searches.md "The signing secret").
 */
export function newWebhookSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return `whsec_${btoa(String.fromCharCode(...bytes))}`;
}
