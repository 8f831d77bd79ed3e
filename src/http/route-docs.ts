import { STATUS_CODES } from 'node:http';
import { AppError, type AppErrorOptions, type ErrorCode, type Resource } from '../domain/errors.js';
import { commonCodes } from './envelope.js';
import { renderedCode } from './error-catalogue.js';
import type { SurfaceDialect } from './surface.js';

/**
 * What only the OpenAPI document reads about a route, declared in its schema next to `summary` and
 * `description`. Fastify compiles none of it, so documenting a route can never change its answers.
 */
export interface RouteDocs {
  /** An example request body; it must pass the route's body schema (the document fails to build otherwise). */
  example?: unknown;
  /** The errors the route answers beyond those its auth, validation and rate limit imply, as internal codes. */
  errors?: readonly DocumentedError[];
  /** The success answers of a route whose schema has no 2xx response, by status: what each carries. */
  ok?: Partial<Record<200 | 201 | 202 | 204, string>>;
}

/** An internal error code, or a NOT_FOUND about one resource (some envelopes name it: `TENANT_NOT_FOUND`). */
export type DocumentedError = ErrorCode | `NOT_FOUND:${Resource}`;

declare module 'fastify' {
  interface FastifySchema {
    /** Docs-only facts about the route: see RouteDocs in http/route-docs.ts. */
    docs?: RouteDocs;
  }
}

/** What the document knows of a route from its configuration and schema. */
export interface RouteFacts {
  authenticated: boolean;
  /** It has a body, querystring or params schema. */
  validated: boolean;
  hasBody: boolean;
  rateLimited: boolean;
}

/** The errors every route of its kind can answer, before the ones it declares. */
export function impliedErrors(facts: RouteFacts): DocumentedError[] {
  const errors: DocumentedError[] = [];
  if (facts.authenticated) errors.push('UNAUTHENTICATED', 'FORBIDDEN');
  if (facts.validated) errors.push('VALIDATION');
  if (facts.hasBody) errors.push('MALFORMED_BODY', 'PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE');
  if (facts.rateLimited) errors.push('RATE_LIMITED');
  // Authenticating reads the credential from the database.
  if (facts.authenticated) errors.push('DATABASE');
  errors.push('INTERNAL');
  return errors;
}

const EXAMPLE_MESSAGE: Record<ErrorCode, string> = {
  VALIDATION: 'Request validation failed',
  MALFORMED_BODY: 'Body is not valid JSON',
  UNAUTHENTICATED: 'Authentication required: send an API key or bearer token',
  INVALID_SIGNATURE: 'Signature does not match',
  FORBIDDEN: 'Insufficient permissions',
  NOT_FOUND: 'Not found',
  METHOD_NOT_ALLOWED: 'Method not allowed on this path',
  CONFLICT: 'The request conflicts with the current state',
  GONE: 'The resource has expired',
  PAYLOAD_TOO_LARGE: 'Request body is too large',
  UNSUPPORTED_MEDIA_TYPE: 'Unsupported Content-Type; send application/json',
  RATE_LIMITED: 'Rate limit exceeded for tenant: 60 requests per minute',
  QUOTA_EXCEEDED: 'Plan limit reached',
  UPSTREAM_CRM: 'The CRM refused the call',
  UPSTREAM_AI: 'Analysing the message failed',
  UPSTREAM: 'An outside service failed',
  UNAVAILABLE: 'Service unavailable',
  DATABASE: 'Database unavailable',
  INTERNAL: 'Internal server error',
};

const EXAMPLE_CONTEXT = { requestId: 'req_01JEXAMPLE0000000000000000', now: new Date('2025-01-01T00:00:00.000Z') };

/** The error a documented code stands for, with the details an envelope shows for it. */
function sample(documented: DocumentedError): AppError {
  const [code, resource] = documented.split(':') as [ErrorCode, Resource | undefined];
  const options: AppErrorOptions = resource ? { resource } : {};
  if (code === 'VALIDATION' || code === 'MALFORMED_BODY')
    options.fields = [{ field: 'name', issue: 'is required', type: 'missing', location: 'body' }];
  if (code === 'RATE_LIMITED')
    options.rateLimit = { limit: 60, windowSeconds: 60, resetAt: 1735689660, retryAfterSeconds: 60 };
  // A plan limit that answers 429 frees up with time, and says when to try again.
  if (code === 'QUOTA_EXCEEDED') options.retryAfterSeconds = 30;
  const message = resource ? `${resource.charAt(0).toUpperCase()}${resource.slice(1)} not found` : undefined;
  return new AppError(code, message ?? EXAMPLE_MESSAGE[code], options);
}

/** The code a client reads for an error: the envelope's `error.code`, or the catalogue's name where the body has none. */
function codeOf(dialect: SurfaceDialect, error: AppError): string {
  return renderedCode(dialect.render(error, EXAMPLE_CONTEXT).body) ?? commonCodes[error.code];
}

/** The name of a surface's error envelope among the document's component schemas. */
export function envelopeSchemaName(surface: string, kind: 'error' | 'validation'): string {
  const name = `${surface.charAt(0).toUpperCase()}${surface.slice(1)}`;
  return kind === 'error' ? `${name}Error` : `${name}ValidationError`;
}

/** Each surface's error envelopes as JSON schemas, read off what its renderer answers so they cannot drift from it. */
export function envelopeSchemas(dialects: readonly SurfaceDialect[]): Record<string, Shape> {
  const schemas: Record<string, Shape> = {};
  for (const dialect of dialects) {
    const plain = dialect.render(new AppError('NOT_FOUND', EXAMPLE_MESSAGE.NOT_FOUND), EXAMPLE_CONTEXT).body;
    const invalid = dialect.render(sample('VALIDATION'), EXAMPLE_CONTEXT).body;
    schemas[envelopeSchemaName(dialect.id, 'error')] = shapeOf(plain);
    schemas[envelopeSchemaName(dialect.id, 'validation')] = shapeOf(invalid);
  }
  return schemas;
}

/** The JSON schema of a rendered body. */
export type Shape =
  | { type: 'array'; items: Shape | Record<string, never> }
  | { type: 'object'; properties?: Record<string, Shape>; required?: string[] }
  | { type: 'null' | 'string' | 'number' | 'integer' | 'boolean' };

/** A JSON schema that the value fits, with every key it has required; empty objects and arrays stay open. */
function shapeOf(value: unknown): Shape {
  if (value === null) return { type: 'null' };
  if (Array.isArray(value)) return { type: 'array', items: value.length > 0 ? shapeOf(value[0]) : {} };
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0) return { type: 'object' };
    return {
      type: 'object',
      properties: Object.fromEntries(entries.map(([k, v]) => [k, shapeOf(v)])),
      required: entries.map(([k]) => k),
    };
  }
  if (typeof value === 'number') return { type: Number.isInteger(value) ? 'integer' : 'number' };
  return { type: typeof value === 'boolean' ? 'boolean' : 'string' };
}

/** An OpenAPI response object. */
export interface ResponseObject {
  description: string;
  /** Header schemas; @fastify/swagger moves each description out of its schema. */
  headers?: Record<string, { type: string; description: string }>;
  content?: Record<string, { schema: { $ref: string }; example: unknown }>;
}

/**
 * The error responses of a route, one per status its surface answers them with: the status, every
 * code it can carry linked to its `/docs#errors-<CODE>` entry, the envelope's schema and an example body.
 */
export function errorResponses(
  dialect: SurfaceDialect,
  errors: readonly DocumentedError[],
): Record<string, ResponseObject> {
  const byStatus = new Map<number, AppError[]>();
  for (const documented of new Set(errors)) {
    const error = sample(documented);
    const { status } = dialect.render(error, EXAMPLE_CONTEXT);
    byStatus.set(status, [...(byStatus.get(status) ?? []), error]);
  }
  const responses: Record<string, ResponseObject> = {};
  for (const [status, list] of [...byStatus.entries()].sort(([a], [b]) => a - b)) {
    responses[String(status)] = errorResponse(dialect, status, list);
  }
  return responses;
}

function errorResponse(dialect: SurfaceDialect, status: number, errors: readonly AppError[]): ResponseObject {
  const first = errors[0] ?? sample('INTERNAL');
  const codes = [...new Set(errors.map((e) => codeOf(dialect, e)))];
  const carries =
    renderedCode(dialect.render(first, EXAMPLE_CONTEXT).body) === undefined
      ? 'The body carries no code; its causes, as the error catalogue names them:'
      : 'Codes:';
  const links = codes.map((code) => `[\`${code}\`](/docs#errors-${code})`).join(', ');
  const kind = errors.some((e) => e.code === 'VALIDATION' || e.code === 'MALFORMED_BODY') ? 'validation' : 'error';
  const response: ResponseObject = {
    description: `${STATUS_CODES[status] ?? 'Error'}. ${carries} ${links}.`,
    content: {
      'application/json': {
        schema: { $ref: `#/components/schemas/${envelopeSchemaName(dialect.id, kind)}` },
        example: dialect.render(first, EXAMPLE_CONTEXT).body,
      },
    },
  };
  if (errors.some((e) => e.retryAfterSeconds !== undefined))
    response.headers = { 'Retry-After': { type: 'integer', description: 'Seconds to wait before trying again' } };
  return response;
}
