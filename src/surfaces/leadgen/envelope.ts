import type { ErrorCode } from '../../domain/errors.js';
import { commonCodes, defaultStatus, publicMessage, type ErrorRenderer } from '../../http/envelope.js';

/** Spec B: `{error:{code,message,details:{errors:[{field,message,type}]},request_id}}`; validation is 422. */
export const renderLeadgenError: ErrorRenderer = (error, { requestId }) => {
  const status = error.code === 'VALIDATION' || error.code === 'MALFORMED_BODY' ? 422 : defaultStatus[error.code];
  const details =
    error.fields.length > 0
      ? {
          errors: error.fields.map((f) => ({ field: f.field, message: f.issue, type: f.type ?? 'value_error' })),
          ...error.details,
        }
      : error.rateLimit
        ? {
            limit: error.rateLimit.limit,
            window_seconds: error.rateLimit.windowSeconds,
            retry_after: error.rateLimit.retryAfterSeconds,
          }
        : error.details;
  return {
    status,
    body: {
      error: {
        code: codes[error.code] ?? commonCodes[error.code],
        message: publicMessage(error, status),
        details,
        request_id: requestId,
      },
    },
  };
};

const codes: Partial<Record<ErrorCode, string>> = {
  UNAUTHENTICATED: 'AUTHENTICATION_ERROR',
  INVALID_SIGNATURE: 'AUTHENTICATION_ERROR',
  FORBIDDEN: 'AUTHORIZATION_ERROR',
  RATE_LIMITED: 'RATE_LIMIT_EXCEEDED',
};
