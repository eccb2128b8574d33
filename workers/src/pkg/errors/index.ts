export { ApiError, SERVICE_RETRY_AFTER_SECONDS, ServiceUnavailableError } from "./api-error";
export { type ErrorCode, ErrorCodeSchema, type ErrorEnvelope, ErrorEnvelopeSchema, errorStatus } from "./codes";
export { errorBody, errorResponse, handleError, zodIssues } from "./handle";
