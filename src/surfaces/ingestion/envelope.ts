import type { AppError, ErrorCode } from '../../domain/errors.js';
import { commonCodes, defaultStatus, publicMessage, type ErrorRenderer } from '../../http/envelope.js';

/** Spec A: `{success:false, error:{code,message,details,timestamp,trace_id,documentation}, request_id}`. */
export const renderIngestionError: ErrorRenderer = (error, { requestId, now }) => {
  const status = defaultStatus[error.code];
  const code = ingestionCode(error);
  return {
    status,
    body: {
      success: false,
      error: {
        code,
        message: publicMessage(error, status),
        details: details(error),
        timestamp: now.toISOString(),
        trace_id: requestId,
        documentation: `/docs#errors-${code}`,
      },
      request_id: requestId,
    },
  };
};

const overrides: Partial<Record<ErrorCode, string>> = {
  RATE_LIMITED: 'RATE_LIMIT_EXCEEDED',
  QUOTA_EXCEEDED: 'RATE_LIMIT_EXCEEDED',
  DATABASE: 'DATABASE_ERROR',
};

function ingestionCode(error: AppError): string {
  if (error.code === 'NOT_FOUND' && error.resource === 'tenant') return 'TENANT_NOT_FOUND';
  if (error.code === 'NOT_FOUND' && error.resource === 'request') return 'REQUEST_NOT_FOUND';
  return overrides[error.code] ?? commonCodes[error.code];
}

function details(error: AppError): Record<string, unknown> {
  if (error.fields.length > 0) {
    return { field_errors: error.fields.map((f) => ({ field: f.field, issue: f.issue })), ...error.details };
  }
  if (error.rateLimit) {
    return {
      limit: error.rateLimit.limit,
      period: periodName(error.rateLimit.windowSeconds),
      reset_time: new Date(error.rateLimit.resetAt * 1000).toISOString(),
      retry_after: error.rateLimit.retryAfterSeconds,
    };
  }
  return error.details;
}

function periodName(seconds: number): string {
  if (seconds % 3600 === 0) return seconds === 3600 ? '1 hour' : `${seconds / 3600} hours`;
  if (seconds % 60 === 0) return seconds === 60 ? '1 minute' : `${seconds / 60} minutes`;
  return `${seconds} seconds`;
}
