import type { AppError, ErrorCode } from '../domain/errors.js';

export interface ErrorContext {
  requestId: string;
  now: Date;
}

export interface RenderedError {
  status: number;
  body: unknown;
}

/** Each surface renders an AppError in its own document's dialect. */
export type ErrorRenderer = (error: AppError, ctx: ErrorContext) => RenderedError;

/** The details of an error that names no field: a 429's limit and window (specs B, D and E agree), else its own. */
export function unfieldedDetails(error: AppError): Record<string, unknown> {
  const limit = error.rateLimit;
  return limit
    ? { limit: limit.limit, window_seconds: limit.windowSeconds, retry_after: limit.retryAfterSeconds }
    : error.details;
}

/** HTTP status of each internal code where a surface has no reason to differ. */
export const defaultStatus: Record<ErrorCode, number> = {
  VALIDATION: 400,
  MALFORMED_BODY: 400,
  UNAUTHENTICATED: 401,
  INVALID_SIGNATURE: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  GONE: 410,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  QUOTA_EXCEEDED: 429,
  UPSTREAM_CRM: 502,
  UPSTREAM_AI: 502,
  UPSTREAM: 502,
  UNAVAILABLE: 503,
  DATABASE: 503,
  INTERNAL: 500,
};

/** Codes shared by specs whose tables use the plain English names. */
export const commonCodes: Record<ErrorCode, string> = {
  VALIDATION: 'VALIDATION_ERROR',
  MALFORMED_BODY: 'VALIDATION_ERROR',
  UNAUTHENTICATED: 'UNAUTHORIZED',
  INVALID_SIGNATURE: 'INVALID_SIGNATURE',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  METHOD_NOT_ALLOWED: 'METHOD_NOT_ALLOWED',
  CONFLICT: 'CONFLICT',
  GONE: 'GONE',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  UNSUPPORTED_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  RATE_LIMITED: 'RATE_LIMITED',
  QUOTA_EXCEEDED: 'QUOTA_EXCEEDED',
  UPSTREAM_CRM: 'CRM_INTEGRATION_ERROR',
  UPSTREAM_AI: 'AI_SERVICE_ERROR',
  UPSTREAM: 'UPSTREAM_ERROR',
  UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  DATABASE: 'SERVICE_UNAVAILABLE',
  INTERNAL: 'INTERNAL_ERROR',
};

/** 5xx bodies never carry internals: a fixed message and the request id only. */
export function publicMessage(error: AppError, status: number): string {
  return status >= 500 && error.code === 'INTERNAL' ? 'Internal server error' : error.message;
}
