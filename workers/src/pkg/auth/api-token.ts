/** API tokens: `pil_` + 32 random bytes (base64url). Only their SHA-256 is stored and looked up. */
export const TOKEN_PREFIX = "pil_";

export function generateApiToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return (
    TOKEN_PREFIX +
    btoa(String.fromCharCode(...bytes))
      .replace(/\+/g, "-")
      .replace(/\//g, "_")
      .replace(/=+$/, "")
  );
}

export async function sha256Hex(value: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(value));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** What is shown for a token after creation: its first characters only. */
export function displayPrefix(token: string): string {
  return token.slice(0, TOKEN_PREFIX.length + 6);
}
