export { displayPrefix, generateApiToken, sha256Hex, TOKEN_PREFIX } from "./api-token";
export { authenticate, type BearerVerifier, clientIp } from "./authenticate";
export { type Identity, ROLES, type Role, roleAtMost } from "./identity";
export { DEFAULT_TOKEN_IDENTITY_TTL_SECONDS, forgetTokenIdentity } from "./identity-cache";
export {
  ACCESS_TOKEN_TTL_SECONDS,
  CLOCK_SKEW_SECONDS,
  JWT_ALGORITHM,
  jwtAudience,
  jwtIssuer,
  signAccessToken,
  verifyAccessToken,
} from "./jwt";
export { type MintedToken, mintApiToken } from "./mint";
export {
  constantTimeEqual,
  decoyPasswordHash,
  hashPassword,
  hasPassword,
  NO_PASSWORD,
  PBKDF2_ITERATIONS,
  verifyPassword,
} from "./password";
export { requireRole } from "./require-role";
export { endSession, issueSession, REFRESH_TOKEN_PREFIX, rotateSession, type Session } from "./session";
export {
  ALL_SOURCES,
  mayIngestUnder,
  parseSourceList,
  type SourceGrant,
  SourceGrantSchema,
  sourceGrant,
} from "./source-grant";
