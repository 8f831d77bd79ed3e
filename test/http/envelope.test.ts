import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AppError } from '../../src/domain/errors.js';
import { startTestApp, type TestApp } from '../helpers/app.js';

type Body = Record<string, unknown>;

interface SurfaceCase {
  name: string;
  /** Where this test registers its throwaway routes. */
  prefix: string;
  validationStatus: 400 | 422;
  codes: Record<
    | 'unauthenticated'
    | 'forbidden'
    | 'notFound'
    | 'methodNotAllowed'
    | 'tooLarge'
    | 'unsupported'
    | 'validation'
    | 'rateLimited'
    | 'internal'
    | 'databaseDown'
    | 'unavailable',
    string | null
  >;
  /** Asserts the surface's error envelope and returns its code (null where the dialect has none). */
  envelope(body: Body, requestId: string): string | null;
  /** The whole body of a validation error for `{count: "abc"}` (email missing), as the surface's document shows it. */
  validationBody(requestId: string): Body;
}

const anyTime = expect.stringMatching(/^\d{4}-\d\d-\d\dT/);

const surfaces: SurfaceCase[] = [
  {
    name: 'A (ingestion, /v1)',
    prefix: '/v1/x-test',
    validationStatus: 400,
    codes: {
      unauthenticated: 'UNAUTHORIZED',
      forbidden: 'FORBIDDEN',
      notFound: 'NOT_FOUND',
      methodNotAllowed: 'METHOD_NOT_ALLOWED',
      tooLarge: 'PAYLOAD_TOO_LARGE',
      unsupported: 'UNSUPPORTED_MEDIA_TYPE',
      validation: 'VALIDATION_ERROR',
      rateLimited: 'RATE_LIMIT_EXCEEDED',
      internal: 'INTERNAL_ERROR',
      databaseDown: 'DATABASE_ERROR',
      unavailable: 'SERVICE_UNAVAILABLE',
    },
    envelope(body, requestId) {
      expect(body).toMatchObject({
        success: false,
        error: {
          code: expect.any(String),
          message: expect.any(String),
          details: expect.any(Object),
          timestamp: anyTime,
          trace_id: requestId,
        },
        request_id: requestId,
      });
      return (body.error as Body).code as string;
    },
    validationBody: (requestId) => ({
      success: false,
      error: {
        code: 'VALIDATION_ERROR',
        message: 'Request validation failed',
        details: {
          field_errors: [
            { field: 'email', issue: 'is required' },
            { field: 'count', issue: 'must be a number' },
          ],
        },
        timestamp: anyTime,
        trace_id: requestId,
        documentation: expect.any(String),
      },
      request_id: requestId,
    }),
  },
  {
    name: 'B (leadgen, /api/platform)',
    prefix: '/api/platform/x-test',
    validationStatus: 422,
    codes: {
      unauthenticated: 'AUTHENTICATION_ERROR',
      forbidden: 'AUTHORIZATION_ERROR',
      notFound: 'NOT_FOUND',
      methodNotAllowed: 'METHOD_NOT_ALLOWED',
      tooLarge: 'PAYLOAD_TOO_LARGE',
      unsupported: 'UNSUPPORTED_MEDIA_TYPE',
      validation: 'VALIDATION_ERROR',
      rateLimited: 'RATE_LIMIT_EXCEEDED',
      internal: 'INTERNAL_ERROR',
      databaseDown: 'SERVICE_UNAVAILABLE',
      unavailable: 'SERVICE_UNAVAILABLE',
    },
    envelope(body, requestId) {
      expect(Object.keys(body)).toEqual(['error']);
      expect(body).toMatchObject({
        error: {
          code: expect.any(String),
          message: expect.any(String),
          details: expect.any(Object),
          request_id: requestId,
        },
      });
      return (body.error as Body).code as string;
    },
    validationBody: (requestId) => ({
      error: {
        code: 'VALIDATION_ERROR',
        message: 'Request validation failed',
        details: {
          errors: [
            { field: 'email', message: 'is required', type: 'missing' },
            { field: 'count', message: 'must be a number', type: 'invalid_type' },
          ],
        },
        request_id: requestId,
      },
    }),
  },
  ...(['/v1/crm/x-test', '/twilio/x-test'] as const).map((prefix): SurfaceCase => ({
    name: `C (telephony, ${prefix.split('/x-test')[0] ?? prefix})`,
    prefix,
    validationStatus: 422,
    codes: {
      unauthenticated: null,
      forbidden: null,
      notFound: null,
      methodNotAllowed: null,
      tooLarge: null,
      unsupported: null,
      validation: null,
      rateLimited: null,
      internal: null,
      databaseDown: null,
      unavailable: null,
    },
    envelope(body, requestId) {
      expect(Object.keys(body).sort()).toEqual(['detail', 'request_id']);
      expect(body.request_id).toBe(requestId);
      if (typeof body.detail === 'string') expect(body.detail.length).toBeGreaterThan(0);
      else
        expect(body.detail).toEqual(
          expect.arrayContaining([
            expect.objectContaining({ loc: expect.any(Array), msg: expect.any(String), type: expect.any(String) }),
          ]),
        );
      return null;
    },
    validationBody: (requestId) => ({
      detail: [
        { loc: ['body', 'email'], msg: 'is required', type: 'missing' },
        { loc: ['body', 'count'], msg: 'must be a number', type: 'invalid_type' },
      ],
      request_id: requestId,
    }),
  })),
  {
    name: 'D (chatbot, /api/v2)',
    prefix: '/api/v2/x-test',
    validationStatus: 400,
    codes: {
      unauthenticated: 'UNAUTHORIZED',
      forbidden: 'FORBIDDEN',
      notFound: 'NOT_FOUND',
      methodNotAllowed: 'METHOD_NOT_ALLOWED',
      tooLarge: 'PAYLOAD_TOO_LARGE',
      unsupported: 'UNSUPPORTED_MEDIA_TYPE',
      validation: 'VALIDATION_ERROR',
      rateLimited: 'RATE_LIMITED',
      internal: 'INTERNAL_ERROR',
      databaseDown: 'SERVICE_UNAVAILABLE',
      unavailable: 'SERVICE_UNAVAILABLE',
    },
    envelope(body, requestId) {
      expect(body).toMatchObject({
        status: 'error',
        error: {
          code: expect.any(String),
          message: expect.any(String),
          details: expect.any(Object),
          trace_id: requestId,
          timestamp: anyTime,
        },
        meta: { request_id: requestId, api_version: 'v2' },
      });
      return (body.error as Body).code as string;
    },
    validationBody: (requestId) => ({
      status: 'error',
      error: {
        code: 'VALIDATION_ERROR',
        message: 'Request validation failed',
        details: {
          field: 'email',
          reason: 'is required',
          errors: [
            { field: 'email', reason: 'is required' },
            { field: 'count', reason: 'must be a number' },
          ],
        },
        trace_id: requestId,
        timestamp: anyTime,
      },
      meta: { request_id: requestId, api_version: 'v2' },
    }),
  },
  {
    name: 'E (qualifier, /api)',
    // Not under /api/qualify, whose `/:id` route would answer GET on any probe path.
    prefix: '/api/x-test-qualifier',
    validationStatus: 400,
    codes: {
      unauthenticated: 'UNAUTHORIZED',
      forbidden: 'FORBIDDEN',
      notFound: 'NOT_FOUND',
      methodNotAllowed: 'METHOD_NOT_ALLOWED',
      tooLarge: 'PAYLOAD_TOO_LARGE',
      unsupported: 'UNSUPPORTED_MEDIA_TYPE',
      validation: 'VALIDATION_ERROR',
      rateLimited: 'RATE_LIMITED',
      internal: 'INTERNAL_ERROR',
      databaseDown: 'SERVICE_UNAVAILABLE',
      unavailable: 'SERVICE_UNAVAILABLE',
    },
    envelope(body, requestId) {
      expect(Object.keys(body)).toEqual(['error']);
      expect(body).toMatchObject({
        error: { code: expect.any(String), message: expect.any(String), details: { request_id: requestId } },
      });
      return (body.error as Body).code as string;
    },
    validationBody: (requestId) => ({
      error: {
        code: 'VALIDATION_ERROR',
        message: 'email is required',
        details: {
          field: 'email',
          issue: 'is required',
          errors: [
            { field: 'email', issue: 'is required' },
            { field: 'count', issue: 'must be a number' },
          ],
          request_id: requestId,
        },
      },
    }),
  },
];

const INTERNAL_DETAIL = 'connection to db failed: password=hunter2';

/** Throwaway routes under a surface's prefix: a validated POST, a thrower, a validated query and a refusal for too many requests. */
function registerProbes(app: FastifyInstance, prefix: string): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  typed.post(
    prefix,
    {
      schema: { body: z.object({ email: z.email(), count: z.number().int() }) },
      config: { auth: { allow: ['admin', 'tenant-key'] } },
    },
    (request) => ({ received: request.body.email }),
  );
  typed.get(`${prefix}/boom`, { config: { auth: 'public' } }, () => {
    throw new Error(INTERNAL_DETAIL);
  });
  typed.get(`${prefix}/db-down`, { config: { auth: 'public' } }, () => {
    throw Object.assign(new Error(`terminating connection due to administrator command; ${INTERNAL_DETAIL}`), {
      code: '57P01',
    });
  });
  typed.get(`${prefix}/db-read-only`, { config: { auth: 'public' } }, () => {
    throw Object.assign(new Error(`attempt to write a readonly database; ${INTERNAL_DETAIL}`), {
      code: 'SQLITE_READONLY',
    });
  });
  typed.get(`${prefix}/disk-full`, { config: { auth: 'public' } }, () => {
    throw Object.assign(
      new Error(`ENOSPC: no space left on device, write '/var/lib/frontdesk/exports/x'; ${INTERNAL_DETAIL}`),
      { code: 'ENOSPC' },
    );
  });
  typed.get(`${prefix}/upstream-down`, { config: { auth: 'public' } }, () => {
    throw Object.assign(new Error(`connect ECONNREFUSED 10.0.0.7:6379; ${INTERNAL_DETAIL}`), { code: 'ECONNREFUSED' });
  });
  typed.get(`${prefix}/limited`, { config: { auth: 'public' } }, () => {
    throw new AppError('RATE_LIMITED', 'Rate limit exceeded for tenant: 10 requests per minute', {
      rateLimit: { limit: 10, windowSeconds: 60, resetAt: 1_900_000_020, retryAfterSeconds: 20 },
    });
  });
  typed.get(
    `${prefix}/query`,
    { schema: { querystring: z.object({ limit: z.coerce.number().int().max(100) }) }, config: { auth: 'public' } },
    (request) => ({
      limit: request.query.limit,
    }),
  );
}

describe('error envelopes per surface', () => {
  let t: TestApp;
  let apiKey: string;
  let widgetToken: string;

  beforeAll(async () => {
    t = await startTestApp({
      env: { FRONTDESK_BODY_LIMIT: '2048' },
      beforeReady: (app) => {
        for (const s of surfaces) registerProbes(app, s.prefix);
      },
    });
    const tenant = await t.createTenant();
    apiKey = tenant.apiKey;
    widgetToken = tenant.credentials.widget_token;
  });
  afterAll(async () => t.close());

  describe.each(surfaces)('surface $name', (s) => {
    let n = 0;
    /** Sends with a known request id and checks the envelope, status, code and echoed id. */
    const expectError = async (
      opts: {
        method: 'GET' | 'POST' | 'PUT' | 'DELETE';
        url: string;
        headers?: Record<string, string>;
        payload?: string | object;
      },
      status: number,
      code: string | null,
    ): Promise<Body> => {
      n += 1;
      const requestId = `env-${s.prefix.replace(/\W/g, '')}-${n}`;
      const res = await t.app.inject({ ...opts, headers: { ...opts.headers, 'x-request-id': requestId } });
      expect(res.statusCode, res.body).toBe(status);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.headers['x-request-id']).toBe(requestId);
      const body = res.json<Body>();
      expect(s.envelope(body, requestId)).toBe(code);
      return body;
    };

    it('answers bad JSON in the surface envelope', async () => {
      await expectError(
        {
          method: 'POST',
          url: s.prefix,
          headers: { 'content-type': 'application/json', 'x-api-key': apiKey },
          payload: '{"email": ',
        },
        s.validationStatus,
        s.codes.validation,
      );
    });

    it('answers a missing credential with 401', async () => {
      await expectError(
        { method: 'POST', url: s.prefix, payload: { email: 'a@example.com', count: 1 } },
        401,
        s.codes.unauthenticated,
      );
    });

    it('answers a wrong credential with 401', async () => {
      await expectError(
        {
          method: 'POST',
          url: s.prefix,
          headers: { 'x-api-key': 'fd_live_wrong' },
          payload: { email: 'a@example.com', count: 1 },
        },
        401,
        s.codes.unauthenticated,
      );
    });

    it('answers a credential the route does not accept with 403', async () => {
      await expectError(
        {
          method: 'POST',
          url: s.prefix,
          headers: { 'x-widget-token': widgetToken },
          payload: { email: 'a@example.com', count: 1 },
        },
        403,
        s.codes.forbidden,
      );
    });

    it('answers an unknown route with 404', async () => {
      await expectError({ method: 'GET', url: `${s.prefix}/no/such/route` }, 404, s.codes.notFound);
    });

    it('answers a wrong method on a known path with 405 and an Allow header', async () => {
      const res = await t.app.inject({ method: 'DELETE', url: s.prefix });
      expect(res.statusCode).toBe(405);
      expect(res.headers.allow).toBe('POST');
      await expectError({ method: 'PUT', url: s.prefix, payload: {} }, 405, s.codes.methodNotAllowed);
    });

    it('answers a body over FRONTDESK_BODY_LIMIT with 413', async () => {
      await expectError(
        {
          method: 'POST',
          url: s.prefix,
          headers: { 'content-type': 'application/json', 'x-api-key': apiKey },
          payload: JSON.stringify({ email: 'a@example.com', pad: 'x'.repeat(4096) }),
        },
        413,
        s.codes.tooLarge,
      );
    });

    it('refuses a body that would poison prototypes in the surface envelope', async () => {
      for (const payload of [
        '{"email":"a@example.com","count":1,"__proto__":{"admin":true}}',
        '{"email":"a@example.com","count":1,"constructor":{"prototype":{"admin":true}}}',
      ]) {
        await expectError(
          {
            method: 'POST',
            url: s.prefix,
            headers: { 'content-type': 'application/json', 'x-api-key': apiKey },
            payload,
          },
          s.validationStatus,
          s.codes.validation,
        );
      }
    });

    it('answers too many requests with 429 and Retry-After', async () => {
      const res = await t.app.inject({
        method: 'GET',
        url: `${s.prefix}/limited`,
        headers: { 'x-request-id': 'env-limited-1' },
      });
      expect(res.statusCode).toBe(429);
      expect(res.headers['retry-after']).toBe('20');
      expect(s.envelope(res.json<Body>(), 'env-limited-1')).toBe(s.codes.rateLimited);
    });

    it('answers a text/plain body with 415', async () => {
      await expectError(
        {
          method: 'POST',
          url: s.prefix,
          headers: { 'content-type': 'text/plain', 'x-api-key': apiKey },
          payload: 'email=a@example.com',
        },
        415,
        s.codes.unsupported,
      );
    });

    it('answers a body without Content-Type with 415, naming the types it accepts', async () => {
      const body = await expectError(
        { method: 'POST', url: s.prefix, headers: { 'x-api-key': apiKey }, payload: '{"email":"a@example.com"}' },
        415,
        s.codes.unsupported,
      );
      expect(JSON.stringify(body)).toContain('send Content-Type: application/json');
    });

    it('answers invalid fields with the document’s validation status and field details', async () => {
      const body = await expectError(
        { method: 'POST', url: s.prefix, headers: { 'x-api-key': apiKey }, payload: { count: 'abc' } },
        s.validationStatus,
        s.codes.validation,
      );
      const requestId = `env-${s.prefix.replace(/\W/g, '')}-${n}`;
      expect(body).toEqual(s.validationBody(requestId));
    });

    it('names the query parameter of an invalid query', async () => {
      const body = await expectError(
        { method: 'GET', url: `${s.prefix}/query?limit=500` },
        s.validationStatus,
        s.codes.validation,
      );
      expect(JSON.stringify(body)).toContain('limit');
      if (s.prefix.startsWith('/v1/crm') || s.prefix.startsWith('/twilio'))
        expect((body.detail as Body[])[0]?.loc).toEqual(['query', 'limit']);
    });

    it('answers a thrown error with 500 carrying the request id and no internals', async () => {
      const body = await expectError({ method: 'GET', url: `${s.prefix}/boom` }, 500, s.codes.internal);
      const text = JSON.stringify(body);
      expect(text).not.toContain('hunter2');
      expect(text).not.toContain('db failed');
      expect(text).not.toMatch(/stack|\.ts:\d+|node_modules|at Object\./);
    });

    it('answers a lost database connection with 503 and no internals', async () => {
      const body = await expectError({ method: 'GET', url: `${s.prefix}/db-down` }, 503, s.codes.databaseDown);
      expect(JSON.stringify(body)).not.toMatch(/hunter2|administrator command/);
    });

    it('answers a read-only database with 503, Retry-After and no internals', async () => {
      const body = await expectError({ method: 'GET', url: `${s.prefix}/db-read-only` }, 503, s.codes.databaseDown);
      expect(JSON.stringify(body)).toContain('The database is read-only; try again later');
      expect(JSON.stringify(body)).not.toMatch(/hunter2|attempt to write/);
      expect((await t.app.inject({ method: 'GET', url: `${s.prefix}/db-read-only` })).headers['retry-after']).toBe(
        '30',
      );
    });

    it('answers a full disk with 503, Retry-After and no internals', async () => {
      const body = await expectError({ method: 'GET', url: `${s.prefix}/disk-full` }, 503, s.codes.unavailable);
      expect(JSON.stringify(body)).toContain('Storage is full; try again later');
      expect(JSON.stringify(body)).not.toMatch(/hunter2|frontdesk\/exports/);
      expect((await t.app.inject({ method: 'GET', url: `${s.prefix}/disk-full` })).headers['retry-after']).toBe('30');
    });

    it('answers an unreachable dependency with 503 and no internals', async () => {
      const body = await expectError({ method: 'GET', url: `${s.prefix}/upstream-down` }, 503, s.codes.unavailable);
      expect(JSON.stringify(body)).not.toMatch(/hunter2|10\.0\.0\.7/);
    });

    it('accepts the route when the request is right', async () => {
      const res = await t.app.inject({
        method: 'POST',
        url: s.prefix,
        headers: { 'x-api-key': apiKey },
        payload: { email: 'a@example.com', count: 1 },
      });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ received: 'a@example.com' });
    });
  });

  describe('X-Request-ID', () => {
    it('echoes a sane caller id on success and in error bodies', async () => {
      const ok = await t.app.inject({
        method: 'GET',
        url: '/.well-known/jwks.json',
        headers: { 'x-request-id': 'caller-id_1.2:3' },
      });
      expect(ok.headers['x-request-id']).toBe('caller-id_1.2:3');
      const err = await t.app.inject({
        method: 'GET',
        url: '/api/v2/x-test/boom',
        headers: { 'x-request-id': 'caller-id_1.2:3' },
      });
      expect(err.headers['x-request-id']).toBe('caller-id_1.2:3');
      expect(err.json().meta.request_id).toBe('caller-id_1.2:3');
    });

    it('makes one when absent', async () => {
      const res = await t.app.inject({ method: 'GET', url: '/v1/x-test/boom' });
      expect(res.headers['x-request-id']).toMatch(/^req_[0-9a-z]{26}$/);
      expect(res.json().request_id).toBe(res.headers['x-request-id']);
    });

    it('replaces an unsafe or oversized id with its own', async () => {
      for (const bad of ['has spaces in it', '<script>alert(1)</script>', 'x'.repeat(129), 'line\u00e9break']) {
        const res = await t.app.inject({
          method: 'GET',
          url: '/api/platform/x-test/boom',
          headers: { 'x-request-id': bad },
        });
        expect(res.headers['x-request-id']).toMatch(/^req_/);
        expect(res.json().error.request_id).toBe(res.headers['x-request-id']);
      }
    });

    it('gives every request its own id', async () => {
      const ids = new Set<string>();
      for (let i = 0; i < 5; i++)
        ids.add(
          String((await t.app.inject({ method: 'GET', url: '/api/x-test-qualifier/boom' })).headers['x-request-id']),
        );
      expect(ids.size).toBe(5);
    });
  });

  describe('real routes', () => {
    it('answers spec A’s token route with field_errors for a missing field', async () => {
      const res = await t.app.inject({ method: 'POST', url: '/v1/auth/token', payload: { client_id: 'x' } });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.details.field_errors).toEqual([{ field: 'client_secret', issue: 'is required' }]);
    });

    it('answers spec D’s tenant creation with the invalid field named', async () => {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v2/tenants',
        headers: t.adminHeaders,
        payload: { name: 'X', tenant_id: 'bad id!' },
      });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.details.field).toBe('tenant_id');
    });

    // Spec B claims the unrouted paths under /api/webhooks/twilio; this one is spec E's route with a webhook id of "twilio".
    it('answers every error of a route in its owner’s envelope, whatever its path looks like', async () => {
      const tenant = await t.createTenant();
      const url = '/api/webhooks/twilio/enable';
      const send = (headers: Record<string, string>, payload?: string) =>
        t.app.inject({ method: 'POST', url, headers, ...(payload === undefined ? {} : { payload }) });
      const key = { 'x-api-key': tenant.apiKey };
      const json = { ...key, 'content-type': 'application/json' };
      const expectE = (res: Awaited<ReturnType<typeof send>>, status: number, code: string) => {
        expect(res.statusCode, res.body).toBe(status);
        expect(Object.keys(res.json<Body>())).toEqual(['error']);
        expect(res.json()).toMatchObject({ error: { code, details: { request_id: res.headers['x-request-id'] } } });
      };

      expectE(await send({}), 401, 'UNAUTHORIZED');
      expectE(await send(json, '{oops'), 400, 'VALIDATION_ERROR');
      expectE(await send({ ...key, 'content-type': 'text/plain' }, 'hi'), 415, 'UNSUPPORTED_MEDIA_TYPE');
      expectE(await send(json, JSON.stringify({ pad: 'x'.repeat(4096) })), 413, 'PAYLOAD_TOO_LARGE');
      const missing = await send(json, '{}');
      expectE(missing, 404, 'NOT_FOUND');
      // Counted against spec E's table (10 a minute on the free plan), not spec B's.
      expect(missing.headers['x-ratelimit-limit']).toBe('10');
      let res = missing;
      while (res.statusCode !== 429) res = await send(json, '{}');
      expectE(res, 429, 'RATE_LIMITED');
      expect(res.headers['retry-after']).toMatch(/^\d+$/);
    });

    it('answers an unknown top-level path in spec E’s envelope', async () => {
      const res = await t.app.inject({ method: 'GET', url: '/no-such-thing' });
      expect(res.statusCode).toBe(404);
      expect(res.json()).toMatchObject({
        error: { code: 'NOT_FOUND', details: { request_id: res.headers['x-request-id'] } },
      });
    });
  });
});
