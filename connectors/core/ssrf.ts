/**
 * SSRF guard: connectors fetch URLs that come from scraped pages and configuration, so every URL (and
 * every redirect hop) must be a public http(s) address. Private, loopback, link-local and similar hosts
 * are refused unless the host is on an explicit allow list (the test fixture server only).
 *
 * Workers cannot resolve DNS before fetching, so this checks literal addresses and well-known internal
 * names; Cloudflare's own egress refuses private ranges for names that resolve there.
 */
export class UnsafeUrlError extends Error {
  constructor(
    readonly url: string,
    reason: string,
  ) {
    super(`refusing to fetch ${url}: ${reason}`);
    this.name = "UnsafeUrlError";
  }
}

function ipv4Private(host: string): boolean | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  if (!m) return null;
  const [a, b] = [Number(m[1]), Number(m[2])];
  return (
    a === 0 ||
    a === 10 ||
    a === 127 ||
    (a === 100 && b >= 64 && b <= 127) ||
    (a === 169 && b === 254) ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 192 && b === 0) ||
    (a === 198 && (b === 18 || b === 19)) ||
    a >= 224
  );
}

function ipv6Private(host: string): boolean | null {
  if (!host.startsWith("[")) return null;
  const h = host.slice(1, -1).toLowerCase();
  if (h === "::" || h === "::1") return true;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(h);
  if (mapped) return ipv4Private(mapped[1] as string) ?? true;
  if (h.startsWith("::ffff:")) return true; // hex-form mapped IPv4: refuse rather than decode
  return /^(fc|fd|fe8|fe9|fea|feb|ff)/.test(h);
}

/** Throws UnsafeUrlError unless `raw` is a public http(s) URL or its host is explicitly allowed. */
export function assertFetchableUrl(raw: string, allowHosts: readonly string[] = []): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UnsafeUrlError(raw, "not a URL");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new UnsafeUrlError(raw, `scheme ${url.protocol} not allowed`);
  if (url.username || url.password) throw new UnsafeUrlError(raw, "credentials in URL");
  const host = url.hostname.toLowerCase();
  if (allowHosts.includes(host) || allowHosts.includes(url.host.toLowerCase())) return url;
  const literal = ipv4Private(host) ?? ipv6Private(host);
  if (literal) throw new UnsafeUrlError(raw, "private or loopback address");
  if (literal === null) {
    if (host === "localhost" || /\.(localhost|local|internal|lan|home\.arpa)$/.test(host)) {
      throw new UnsafeUrlError(raw, "internal host name");
    }
    if (!host.includes(".")) throw new UnsafeUrlError(raw, "single-label host name");
    if (/^\d+$/.test(host) || /^0x[0-9a-f]+$/i.test(host)) throw new UnsafeUrlError(raw, "numeric host");
  }
  return url;
}
