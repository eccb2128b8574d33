import { ErrorEnvelopeSchema } from "./codes";

const errorContent = (description: string) => ({
  description,
  content: { "application/json": { schema: ErrorEnvelopeSchema } },
});

/**
 * A fixed set of error responses. Routes no longer spread it: `apiRoute()` (pkg/openapi/route.ts) derives
 * each operation's error statuses and its `security` from its access level, so they cannot drift apart.
 */
export const openApiErrorResponses = {
  400: errorContent("The request is invalid: a parameter or the body failed validation."),
  401: errorContent("No valid credentials were given."),
  403: errorContent("The credentials are valid but lack the role this route needs."),
  429: errorContent("Too many requests; see Retry-After."),
  500: errorContent("An unexpected error; the request id identifies it in the logs."),
  503: errorContent("A backing service (database or cache) is unavailable."),
} as const;
