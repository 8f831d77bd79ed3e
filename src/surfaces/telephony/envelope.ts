import { defaultStatus, publicMessage, type ErrorRenderer } from '../../http/envelope.js';

/**
 * Spec C is a FastAPI service: errors are `{detail: "message"}` and validation is 422 with
 * `{detail: [{loc, msg, type}]}`, `loc` starting at the part of the request (`body`, `query`, `path`).
 */
export const renderTelephonyError: ErrorRenderer = (error) => {
  if (error.code === 'VALIDATION' || error.code === 'MALFORMED_BODY') {
    return {
      status: 422,
      body: {
        detail: error.fields.map((f) => ({
          loc: f.field.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p)),
          msg: f.issue,
          type: f.type ?? 'value_error',
        })),
      },
    };
  }
  const status = defaultStatus[error.code];
  return { status, body: { detail: publicMessage(error, status) } };
};
