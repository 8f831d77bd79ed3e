import { commonCodes, defaultStatus, publicMessage, type ErrorRenderer } from '../../http/envelope.js';

/**
 * The web app's API: `{ error: { code, message, request_id } }`, with `fields` when input was refused
 * and the limit's numbers on a 429. Documented in docs/api/app.md.
 */
export const renderAppError: ErrorRenderer = (error, { requestId }) => {
  const status = defaultStatus[error.code];
  const fields = error.fields.map((f) => ({ field: f.field, issue: f.issue }));
  const limit = error.rateLimit;
  return {
    status,
    body: {
      error: {
        code: commonCodes[error.code],
        message: publicMessage(error, status),
        request_id: requestId,
        ...(fields.length > 0 ? { fields } : {}),
        ...(limit ? { retry_after: limit.retryAfterSeconds } : {}),
      },
    },
  };
};
