import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import FindMyWay, { type HTTPMethod } from 'find-my-way';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError } from '../domain/errors.js';
import { WRITE_REFUSAL_RETRY_AFTER_SECONDS, writeRefusalOf } from '../lib/write-refusals.js';
import type { ErrorRenderer } from './envelope.js';
import type { SurfaceResolver } from './surface.js';
import { fieldIssuesFrom, type ValidatedParts, type ValidationLike } from './validation.js';

/** Sends an AppError in the given envelope, with the headers its code implies (Retry-After, Allow). */
export function sendError(
  request: FastifyRequest,
  reply: FastifyReply,
  error: AppError,
  render: ErrorRenderer,
): FastifyReply {
  const { status, body } = render(error, { requestId: request.id, now: new Date() });
  if (error.retryAfterSeconds !== undefined) void reply.header('retry-after', String(error.retryAfterSeconds));
  if (error.code === 'METHOD_NOT_ALLOWED' && Array.isArray(error.details.allowed)) {
    void reply.header('allow', (error.details.allowed as string[]).join(', '));
  }
  return reply.code(status).type('application/json; charset=utf-8').send(body);
}

/**
 * The error handler a surface sets in its own scope: bad JSON, wrong content types, oversized
 * bodies, refused credentials, rate limits and thrown errors of its routes (and of the root hooks
 * they run) all come back in its envelope, never a bare 500 or a stack trace.
 */
export function surfaceErrorHandler(
  render: ErrorRenderer,
): (error: FastifyError | AppError, request: FastifyRequest, reply: FastifyReply) => FastifyReply {
  return (error, request, reply) => answerError(error, request, reply, render);
}

function answerError(
  error: FastifyError | AppError,
  request: FastifyRequest,
  reply: FastifyReply,
  render: ErrorRenderer,
): FastifyReply {
  const appError = toAppError(error, request);
  if (
    appError.code === 'INTERNAL' ||
    appError.code === 'DATABASE' ||
    (appError.code === 'UNAVAILABLE' && !(error instanceof AppError))
  ) {
    request.log.error({ err: error }, 'request failed');
  }
  return sendError(request, reply, appError, render);
}

/**
 * For requests no surface routes: unknown paths (404), wrong methods on a known path (405) and
 * the platform's root routes answer in the envelope of the surface the path belongs to.
 */
export function registerErrorFallback(app: FastifyInstance, surfaceOf: SurfaceResolver): void {
  // A second router that only knows which methods each path accepts, to tell 405 from 404.
  const methods = FindMyWay({ ignoreTrailingSlash: true });
  app.addHook('onRoute', (route) => {
    const list = Array.isArray(route.method) ? route.method : [route.method];
    for (const m of list) {
      if (m === 'HEAD' || route.url.includes('*')) continue;
      try {
        methods.on(m as HTTPMethod, route.url, () => undefined);
      } catch {
        // Duplicate registrations (HEAD shadows, prefix variants) are harmless here.
      }
    }
  });

  app.setNotFoundHandler((request, reply) => {
    const { render } = surfaceOf(request);
    const allowed = (['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const).filter(
      (m) => m !== request.method && methods.find(m, request.url.split('?', 1)[0] ?? '/') !== null,
    );
    if (allowed.length > 0) {
      return sendError(
        request,
        reply,
        new AppError('METHOD_NOT_ALLOWED', `Method ${request.method} not allowed on this path`, {
          details: { allowed },
        }),
        render,
      );
    }
    return sendError(
      request,
      reply,
      new AppError('NOT_FOUND', `Route ${request.method} ${request.url.split('?', 1)[0] ?? ''} not found`, {
        resource: 'route',
      }),
      render,
    );
  });

  app.setErrorHandler((error: FastifyError | AppError, request, reply) =>
    answerError(error, request, reply, surfaceOf(request).render),
  );
}

/** The generic mapping: any error to the neutral record (code, message, fields, details, rate limit) every envelope renders. */
export function toAppError(error: unknown, request?: ValidatedParts): AppError {
  if (error instanceof AppError) return error;
  if (hasZodFastifySchemaValidationErrors(error)) {
    return new AppError('VALIDATION', 'Request validation failed', {
      fields: fieldIssuesFrom(error.validation as ValidationLike[], error.validationContext, request),
    });
  }
  const fe = error as Partial<FastifyError> & {
    validation?: { instancePath: string; message?: string; keyword: string }[];
  };
  if (Array.isArray(fe.validation)) {
    return new AppError('VALIDATION', 'Request validation failed', {
      fields: fieldIssuesFrom(fe.validation, fe.validationContext, request),
    });
  }
  switch (fe.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError('PAYLOAD_TOO_LARGE', 'Request body is too large');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new AppError('UNSUPPORTED_MEDIA_TYPE', 'Unsupported Content-Type; send application/json');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new AppError('MALFORMED_BODY', 'Body cannot be empty when Content-Type is application/json', {
        fields: [{ field: 'body', issue: 'must not be empty', type: 'json_invalid' }],
      });
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new AppError('MALFORMED_BODY', 'Body is not valid JSON', {
        fields: [{ field: 'body', issue: 'is not valid JSON', type: 'json_invalid' }],
      });
    case undefined:
    default:
      break;
  }
  if (error instanceof SyntaxError || fe.statusCode === 400) {
    return new AppError('MALFORMED_BODY', 'Body is not valid JSON', {
      fields: [{ field: 'body', issue: 'is not valid JSON', type: 'json_invalid' }],
    });
  }
  if (fe.statusCode === 413) return new AppError('PAYLOAD_TOO_LARGE', 'Request body is too large');
  if (fe.statusCode === 415) return new AppError('UNSUPPORTED_MEDIA_TYPE', 'Unsupported Content-Type');
  const refusal = writeRefusalOf(error);
  if (refusal) {
    return new AppError(refusal.where === 'database' ? 'DATABASE' : 'UNAVAILABLE', refusal.message, {
      retryAfterSeconds: WRITE_REFUSAL_RETRY_AFTER_SECONDS,
      cause: error,
    });
  }
  const outage = outageOf(error);
  if (outage === 'database')
    return new AppError('DATABASE', 'The database is unavailable; try again shortly', { cause: error });
  if (outage === 'network')
    return new AppError('UNAVAILABLE', 'A service this request depends on is unavailable; try again shortly', {
      cause: error,
    });
  return new AppError('INTERNAL', 'Internal server error', { cause: error });
}

// PostgreSQL connection and availability classes (08, 53300, 57P02) and SQLite lock timeouts; 57P01 and 57P03 are write refusals.
const DATABASE_CODES = new Set([
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
  '53300',
  '57P02',
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
]);
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'EPIPE',
]);
const POOL_MESSAGES =
  /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error)/;

/**
 * A dependency that is down, rather than a bug: the same request may succeed once it is back,
 * so the caller gets 503 (spec A's DATABASE_ERROR / SERVICE_UNAVAILABLE) instead of 500.
 */
function outageOf(error: unknown): 'database' | 'network' | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && DATABASE_CODES.has(code)) return 'database';
  if (error instanceof Error && POOL_MESSAGES.test(error.message)) return 'database';
  if (typeof code === 'string' && NETWORK_CODES.has(code)) return 'network';
  return undefined;
}
