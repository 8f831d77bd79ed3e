import {
  commonCodes,
  defaultStatus,
  publicMessage,
  unfieldedDetails,
  type ErrorRenderer,
} from '../../http/envelope.js';

/** Spec E: `{error:{code,message,details}}`; validation is 400 and the message names the field. */
export const renderQualifierError: ErrorRenderer = (error, { requestId }) => {
  const status = defaultStatus[error.code];
  const first = error.fields[0];
  const details = first
    ? {
        field: first.field,
        issue: first.issue,
        errors: error.fields.map((f) => ({ field: f.field, issue: f.issue })),
        ...error.details,
      }
    : unfieldedDetails(error);
  const message = first && error.code === 'VALIDATION' ? `${first.field} ${first.issue}` : publicMessage(error, status);
  // Spec E documents one code for 429; a plan's batch limits are reported as RATE_LIMITED too.
  const code = error.code === 'QUOTA_EXCEEDED' ? 'RATE_LIMITED' : commonCodes[error.code];
  return { status, body: { error: { code, message, details: { ...details, request_id: requestId } } } };
};
