import {
  commonCodes,
  defaultStatus,
  publicMessage,
  unfieldedDetails,
  type ErrorRenderer,
} from '../../http/envelope.js';
import type { AppError } from '../../domain/errors.js';

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
        code: chatbotCode(error),
        message: publicMessage(error, status),
        details,
        trace_id: requestId,
        timestamp: now.toISOString(),
      },
      meta: { request_id: requestId, api_version: 'v2' },
    },
  };
};

/** A tenant that does not exist is named as such, so a client can tell it from a missing conversation. */
function chatbotCode(error: AppError): string {
  return error.code === 'NOT_FOUND' && error.resource === 'tenant' ? 'TENANT_NOT_FOUND' : commonCodes[error.code];
}
