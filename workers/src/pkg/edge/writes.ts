/**
 * Writes that pass through the front Worker. The data Worker ends the edge entries of the data centre it
 * runs in (pkg/changes), which, once it is placed near the data, is not the reader's: so the front Worker
 * ends its own data centre's entries after a property write it forwarded succeeded, and the writer's
 * next anonymous read there (and everyone's) has the write at once. docs/guides/deploying.md ("The two
 * Workers") states the bound for other data centres.
 */

/** Property writes of the API: create (`POST /properties`), batch (`POST /properties/batch`), withdraw (`DELETE /properties/{id}`). */
const PROPERTY_WRITES = /^\/api\/v1\/properties(\/[^/]+)?$/;
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** Whether `res`, the data plane's answer to `request`, may have changed what anonymous reads return. */
export function wrotePropertiesThrough(request: Request, res: Response): boolean {
  if (SAFE_METHODS.has(request.method) || res.status >= 400) return false;
  return PROPERTY_WRITES.test(new URL(request.url).pathname);
}
