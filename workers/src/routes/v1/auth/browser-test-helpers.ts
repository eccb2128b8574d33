/** Helpers for the browser-session tests: a tiny cookie jar over `call`, as a browser on the site's origin. */
import { call } from "../../../../test/helpers";

export const SITE_ORIGIN = "http://pillow.test";

export type Jar = Map<string, string>;

/** The Set-Cookie lines of an answer, by cookie name. */
export function setCookies(res: Response): Map<string, string> {
  return new Map(res.headers.getSetCookie().map((line) => [line.slice(0, line.indexOf("=")), line] as const));
}

/** Stores the answer's cookies in the jar (an expired or empty one removes it), as a browser does. */
export function keep(jar: Jar, res: Response): void {
  for (const [name, line] of setCookies(res)) {
    const value = line.slice(name.length + 1).split(";")[0] ?? "";
    if (!value || /max-age=0/i.test(line)) jar.delete(name);
    else jar.set(name, value);
  }
}

export const cookieHeader = (jar: Jar) => [...jar].map(([k, v]) => `${k}=${v}`).join("; ");

/** A same-origin POST from the site's pages, with the jar's cookies and (when it has one) the CSRF header. */
export async function browserPost(
  path: string,
  jar: Jar,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  const csrf = jar.get("__Secure-pillow_csrf");
  const res = await call(path, {
    method: "POST",
    headers: {
      Origin: SITE_ORIGIN,
      "Sec-Fetch-Site": "same-origin",
      Cookie: cookieHeader(jar),
      ...(csrf ? { "X-CSRF-Token": csrf } : {}),
      ...(body === undefined ? {} : { "Content-Type": "application/json" }),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  keep(jar, res);
  return res;
}
