export { displayPrefix, generateApiToken, sha256Hex, TOKEN_PREFIX } from "./api-token";
export { authenticate, type BearerVerifier } from "./authenticate";
export { type Identity, ROLES, type Role, roleAtMost } from "./identity";
export { requireRole } from "./require-role";
