/**
 * The closed set of internal error codes. The domain throws AppError; each surface's
 * envelope.ts maps a code to its own document's code, status and body.
 */
export type ErrorCode =
  | 'VALIDATION'
  | 'MALFORMED_BODY'
  | 'UNAUTHENTICATED'
  | 'INVALID_SIGNATURE'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'METHOD_NOT_ALLOWED'
  | 'CONFLICT'
  | 'GONE'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'RATE_LIMITED'
  | 'QUOTA_EXCEEDED'
  | 'UPSTREAM_CRM'
  | 'UPSTREAM_AI'
  | 'UPSTREAM'
  | 'UNAVAILABLE'
  | 'DATABASE'
  | 'INTERNAL';

/** One problem with one input field; `field` is a dotted path (`admin_user.email`). */
export interface FieldIssue {
  field: string;
  issue: string;
  /** Machine-readable kind (`missing`, `invalid_format`, `too_small`, …). */
  type?: string;
  value?: unknown;
  /** The part of the request the field is in, when not the body (FastAPI's `loc` starts with it). */
  location?: 'body' | 'query' | 'path' | 'header';
}

/** What a NOT_FOUND is about, so surfaces can say TENANT_NOT_FOUND or REQUEST_NOT_FOUND. */
export type Resource =
  | 'tenant'
  | 'request'
  | 'route'
  | 'user'
  | 'credential'
  | 'lead'
  | 'batch'
  | 'webhook'
  | 'delivery'
  | 'conversation'
  | 'message'
  | 'session'
  | 'export'
  | 'job'
  | 'appointment'
  | 'campaign';

export interface RateLimitInfo {
  limit: number;
  windowSeconds: number;
  resetAt: number;
  retryAfterSeconds: number;
}

export interface AppErrorOptions {
  fields?: FieldIssue[];
  resource?: Resource;
  rateLimit?: RateLimitInfo;
  /** When the same request may succeed again (a full or read-only disk), sent as Retry-After. */
  retryAfterSeconds?: number;
  /** Extra, safe-to-show facts (a vendor's error message, an allowed set). */
  details?: Record<string, unknown>;
  cause?: unknown;
}

export class AppError extends Error {
  readonly fields: FieldIssue[];
  readonly resource: Resource | undefined;
  readonly rateLimit: RateLimitInfo | undefined;
  readonly retryAfterSeconds: number | undefined;
  readonly details: Record<string, unknown>;

  constructor(
    readonly code: ErrorCode,
    message: string,
    options: AppErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.fields = options.fields ?? [];
    this.resource = options.resource;
    this.rateLimit = options.rateLimit;
    this.retryAfterSeconds = options.retryAfterSeconds ?? options.rateLimit?.retryAfterSeconds;
    this.details = options.details ?? {};
  }
}

export const notFound = (resource: Resource, id?: string): AppError =>
  new AppError('NOT_FOUND', id ? `${capitalise(resource)} '${id}' not found` : `${capitalise(resource)} not found`, {
    resource,
  });

export const invalid = (fields: FieldIssue[], message = 'Request validation failed'): AppError =>
  new AppError('VALIDATION', message, { fields });

/**
 * A schema's issues as the fields a VALIDATION error names, `body` for the input as a whole;
 * `withType` keeps the schema's issue code for the envelopes that show it.
 */
export function fieldIssues(
  issues: readonly { path: PropertyKey[]; message: string; code: string }[],
  withType = false,
): FieldIssue[] {
  return issues.map((i) => ({
    field: i.path.map(String).join('.') || 'body',
    issue: i.message,
    ...(withType ? { type: i.code } : {}),
  }));
}

export const forbidden = (message = 'Insufficient permissions'): AppError => new AppError('FORBIDDEN', message);

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
