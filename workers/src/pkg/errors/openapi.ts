import { ErrorEnvelopeSchema } from "./codes";

const errorContent = (description: string) => ({
  description,
  content: { "application/json": { schema: ErrorEnvelopeSchema } },
});

/** The error responses every route can give; spread into each route's `responses`. */
export const openApiErrorResponses = {
  400: errorContent("The request is invalid: a parameter or the body failed validation."),
  401: errorContent("No valid credentials were given."),
  403: errorContent("The credentials are valid but lack the role this route needs."),
  429: errorContent("Too many requests; see Retry-After."),
  500: errorContent("An unexpected error; the request id identifies it in the logs."),
  503: errorContent("A backing service (database or cache) is unavailable."),
} as const;
