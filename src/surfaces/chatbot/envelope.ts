import {
  commonCodes,
  defaultStatus,
  publicMessage,
  unfieldedDetails,
  type ErrorRenderer,
} from '../../http/envelope.js';

/** Spec D: `{status:"error", error:{code,message,details,trace_id,timestamp}, meta:{request_id, api_version:"v2"}}`. */
export const renderChatbotError: ErrorRenderer = (error, { requestId, now }) => {
  const status = defaultStatus[error.code];
  const first = error.fields[0];
  const details = first
    ? {
        field: first.field,
        reason: first.issue,
        ...(first.value === undefined ? {} : { provided_value: first.value }),
        errors: error.fields.map((f) => ({ field: f.field, reason: f.issue })),
        ...error.details,
      }
    : unfieldedDetails(error);
  return {
    status,
    body: {
      status: 'error',
      error: {
        code: commonCodes[error.code],
        message: publicMessage(error, status),
        details,
        trace_id: requestId,
        timestamp: now.toISOString(),
      },
      meta: { request_id: requestId, api_version: 'v2' },
    },
  };
};
