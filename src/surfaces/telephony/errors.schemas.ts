import { z } from 'zod';

/** Spec C's error body: FastAPI's `{detail}`, with the request id beside it. */
const messageError = z.object({ detail: z.string(), request_id: z.string() });

/** Spec C's 422: FastAPI's list of `{loc, msg, type}`, `loc` starting at the request part. */
const validationError = z.object({
  detail: z.array(z.object({ loc: z.array(z.union([z.string(), z.number()])), msg: z.string(), type: z.string() })),
  request_id: z.string(),
});

const MEANING = {
  401: 'No credential, or an unknown or revoked one',
  403: 'A credential this route does not take, or credentials of two tenants',
  404: 'No such object for this tenant',
  409: 'The value is already taken',
  413: 'The body is larger than the server accepts',
  415: 'The body is not JSON',
  422: 'A path, query or body field is missing or invalid',
} as const;
type ErrorStatus = keyof typeof MEANING;

/** The `response` entries of the error statuses a route can answer, in spec C's envelope. */
export function errorResponses<S extends ErrorStatus>(
  ...statuses: S[]
): { [K in S]: typeof messageError | typeof validationError } {
  return Object.fromEntries(
    statuses.map((s) => [s, (s === 422 ? validationError : messageError).describe(MEANING[s])]),
  ) as { [K in S]: typeof messageError | typeof validationError };
}
