import type { FieldIssue } from '../../domain/errors.js';
import { defaultStatus, publicMessage, type ErrorRenderer } from '../../http/envelope.js';

/**
 * Spec C is a FastAPI service: errors are `{detail: "message"}` and validation is 422 with
 * `{detail: [{loc, msg, type}]}`, `loc` starting at the part of the request (`body`, `query`, `path`).
 * `request_id` rides beside `detail` (FastAPI clients read only `detail`) so every error body carries it.
 */
export const renderTelephonyError: ErrorRenderer = (error, { requestId }) => {
  if (error.code === 'VALIDATION' || error.code === 'MALFORMED_BODY') {
    return {
      status: 422,
      body: {
        detail: error.fields.map((f) => ({ loc: locOf(f), msg: f.issue, type: f.type ?? 'value_error' })),
        request_id: requestId,
      },
    };
  }
  const status = defaultStatus[error.code];
  return { status, body: { detail: publicMessage(error, status), request_id: requestId } };
};

function locOf(issue: FieldIssue): (string | number)[] {
  const where = issue.location ?? 'body';
  const parts = issue.field.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p));
  return parts[0] === where ? parts : [where, ...parts];
}
