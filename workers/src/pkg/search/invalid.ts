import { ApiError } from "../errors";

/** A VALIDATION_FAILED error naming the query parameter, in the message and in `details`. */
export function invalid(param: string, message: string): ApiError {
  return new ApiError("VALIDATION_FAILED", `${param}: ${message}`, { details: [{ path: param, message }] });
}
