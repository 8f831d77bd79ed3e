import type { ErrorCode } from '../../domain/errors.js';
import {
  commonCodes,
  defaultStatus,
  publicMessage,
  unfieldedDetails,
  type ErrorRenderer,
} from '../../http/envelope.js';

/** Spec B: `{error:{code,message,details:{errors:[{field,message,type}]},request_id}}`; validation is 422. */
export const renderLeadgenError: ErrorRenderer = (error, { requestId }) => {
  const status = error.code === 'VALIDATION' || error.code === 'MALFORMED_BODY' ? 422 : defaultStatus[error.code];
  const details =
    error.fields.length > 0
      ? {
          errors: error.fields.map((f) => ({ field: f.field, message: f.issue, type: f.type ?? 'value_error' })),
          ...error.details,
        }
      : unfieldedDetails(error);
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
