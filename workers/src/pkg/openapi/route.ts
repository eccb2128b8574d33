/**
 * Every API operation is declared with `apiRoute()`: one `access` level decides both what the route
 * enforces (the role guard runs first, before validation) and what the OpenAPI document says (its
 * `security` requirement and the error statuses it can answer with). Deriving both from one field keeps
 * the document and the code from drifting apart; `routes/openapi.security.test.ts` checks them against
 * each other on the running app. Roles and guards: docs/auth.md "Roles".
 */
import { createRoute, type RouteConfig } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import type { HonoEnv } from "../../env";
import { requireRole } from "../auth/require-role";
import { ErrorEnvelopeSchema } from "../errors/codes";

/**
 * Who may call an operation: `anonymous` is public; a role name needs that role; a list of roles needs
 * one of them. `admin` passes every guard.
 */
type SignedInRole = "user" | "service" | "admin";
export type Access = "anonymous" | SignedInRole | readonly SignedInRole[];

/** The two bearer credentials (docs/auth.md): API tokens `pil_…` and access JWTs from signing in. */
export const SECURITY_SCHEMES = {
  apiToken: {
    type: "http",
    scheme: "bearer",
    bearerFormat: "pil_…",
    description: "An API token (`pil_…`): user tokens from `POST /api/v1/tokens`, service tokens for connectors.",
  },
  sessionJwt: {
    type: "http",
    scheme: "bearer",
    bearerFormat: "JWT",
    description: "An access JWT (ES256, 15 minutes) from `POST /api/v1/auth/login`, `/signup` or `/refresh`.",
  },
} as const;

/** The roles that pass an access level (never empty for a guarded one); `admin` passes every guard. */
export function rolesFor(access: Access): SignedInRole[] {
  if (access === "anonymous") return [];
  const roles: readonly SignedInRole[] = typeof access === "string" ? [access] : access;
  return [...new Set<SignedInRole>([...roles, "admin"])];
}

/**
 * OpenAPI 3.1 lets a non-OAuth requirement list role names (§4.8.30), so each operation names the roles
 * it accepts. A public operation also accepts no credentials (`{}`), and credentials when given.
 */
export function securityFor(access: Access): Array<Record<string, string[]>> {
  if (access === "anonymous") return [{}, { apiToken: [] }, { sessionJwt: [] }];
  const roles = rolesFor(access);
  return [{ apiToken: roles }, { sessionJwt: roles }];
}

const errorContent = (description: string) => ({
  description,
  content: { "application/json": { schema: ErrorEnvelopeSchema } },
});

const WRITE_METHODS = new Set(["post", "put", "patch", "delete"]);

type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 500 | 503;
type ErrorResponses = Partial<Record<ErrorStatus, ReturnType<typeof errorContent>>>;

/**
 * The error statuses an operation can answer with, from what every request goes through
 * (`pkg/hono/app.ts`): a present but wrong `Authorization` header is 401 on any route, the rate limit
 * 429, an unreachable database or Redis 503; the guard adds 403 to non-public routes; validation 400
 * where there is anything to validate; a path id 404; the body cap 413 on writes; a declared body 415
 * for another content type. `errors` adds route-specific ones (409, 422, …) or rewords these.
 */
export function errorResponsesFor(
  access: Access,
  route: Pick<RouteConfig, "method" | "path" | "request">,
  errors: Partial<Record<ErrorStatus, string>> = {},
): ErrorResponses {
  const r = route.request ?? {};
  const out: ErrorResponses = {};
  if (r.query || r.params || r.headers || r.body || route.path.includes("{"))
    out[400] = errorContent("The request is invalid: a parameter or the body failed validation.");
  out[401] = errorContent(
    access === "anonymous"
      ? "The `Authorization` header was given but is not valid (public routes need none)."
      : "No valid credentials were given.",
  );
  if (access !== "anonymous")
    out[403] = errorContent(`The credentials are valid but not of a role ${rolesFor(access).join(" or ")}.`);
  if (route.path.includes("{")) out[404] = errorContent("No such resource.");
  if (WRITE_METHODS.has(route.method)) out[413] = errorContent("The body is larger than this route accepts.");
  if (r.body) out[415] = errorContent("The body is not `application/json`.");
  out[429] = errorContent("Too many requests; `Retry-After` says when the next one passes.");
  out[500] = errorContent("An unexpected error; the request id identifies it in the logs.");
  out[503] = errorContent("A backing service (database or Redis) is unavailable; retry after `Retry-After`.");
  for (const [status, description] of Object.entries(errors)) out[Number(status) as ErrorStatus] = errorContent(description);
  return out;
}

type ApiRouteConfig = Omit<RouteConfig, "security"> & {
  access: Access;
  /** Route-specific error statuses (409, 422, …) or other wording for the derived ones. */
  errors?: Partial<Record<ErrorStatus, string>>;
};

/** `createRoute` with the guard, the security requirement and the error responses derived from `access`. */
export function apiRoute<const R extends ApiRouteConfig>(config: R) {
  const { access, errors, middleware, ...route } = config;
  const own = middleware === undefined ? [] : Array.isArray(middleware) ? middleware : [middleware];
  const guard: MiddlewareHandler<HonoEnv>[] = access === "anonymous" ? [] : [requireRole(...rolesFor(access))];
  return createRoute({
    ...route,
    middleware: [...guard, ...own],
    security: securityFor(access),
    // The roles it accepts, for tools and tests that want them without parsing `security`.
    "x-roles": access === "anonymous" ? ["anonymous"] : rolesFor(access),
    responses: { ...errorResponsesFor(access, route, errors), ...route.responses },
  } as RouteConfig) as unknown as Omit<R, "access" | "errors"> & {
    responses: R["responses"] & ErrorResponses;
    security: ReturnType<typeof securityFor>;
  };
}
