import type { MiddlewareHandler } from "hono";
import type { HonoEnv } from "../../env";
import { ApiError } from "../errors";
import type { Role } from "./identity";

/**
 * Guards a route: anonymous callers get 401 (they should authenticate), authenticated callers
 * without one of `roles` get 403. `admin` passes every guard.
 */
export function requireRole(...roles: Role[]): MiddlewareHandler<HonoEnv> {
  return async (c, next) => {
    const identity = c.get("identity");
    if (roles.includes("anonymous")) return next();
    if (!identity || identity.kind === "anonymous") throw new ApiError("UNAUTHORIZED", "Authentication required.");
    if (identity.role !== "admin" && !roles.includes(identity.role)) {
      throw new ApiError("FORBIDDEN", `This operation needs the role ${roles.join(" or ")}.`);
    }
    return next();
  };
}
