export { apiLimitFor, DEFAULT_LOGIN_LIMITS, DEFAULT_RATE_LIMITS, type Limit, loginLimits } from "./config";
export { type Decision, rateLimitHeaders } from "./limiter";
export { clearLoginFailures, countIpSignInAttempt, countLoginAttempt } from "./login";
export { authenticateAndLimit, failsClosed } from "./middleware";
