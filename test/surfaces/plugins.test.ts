import Fastify, { type FastifyInstance, type FastifyPluginCallback } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forbidden } from '../../src/domain/errors.js';
import type { Deps } from '../../src/compose/index.js';
import { chatbotPlugin } from '../../src/surfaces/chatbot/plugin.js';
import { ingestionPlugin } from '../../src/surfaces/ingestion/plugin.js';
import { leadgenPlugin } from '../../src/surfaces/leadgen/plugin.js';
import { qualifierPlugin } from '../../src/surfaces/qualifier/plugin.js';
import { telephonyPlugin } from '../../src/surfaces/telephony/plugin.js';
import { startTestApp, type TestApp } from '../helpers/app.js';

type Body = Record<string, unknown>;

const REQUEST_ID = 'req-plugin';
const anyTime = expect.stringMatching(/^\d{4}-\d\d-\d\dT/);

/** One route of each surface and the body its envelope gives a 403 thrown by a root-level hook. */
const cases: {
  name: string;
  plugin: FastifyPluginCallback<{ deps: Deps }>;
  url: string;
  forbidden(requestId: string): Body;
}[] = [
  {
    name: 'A (ingestion)',
    plugin: ingestionPlugin,
    // Spec A's token keys, though the path is no surface's: the route's owner decides, not its path.
    url: '/.well-known/jwks.json',
    forbidden: (id) => ({
      success: false,
      error: {
        code: 'FORBIDDEN',
        message: 'planted',
        details: {},
        timestamp: anyTime,
        trace_id: id,
        documentation: '/docs#errors-FORBIDDEN',
      },
      request_id: id,
    }),
  },
  {
    name: 'B (leadgen)',
    plugin: leadgenPlugin,
    url: '/health/live',
    forbidden: (id) => ({ error: { code: 'AUTHORIZATION_ERROR', message: 'planted', details: {}, request_id: id } }),
  },
  {
    name: 'C (telephony)',
    plugin: telephonyPlugin,
    url: '/healthz',
    forbidden: (id) => ({ detail: 'planted', request_id: id }),
  },
  {
    name: 'D (chatbot)',
    plugin: chatbotPlugin,
    url: '/api/v2/health/liveness',
    forbidden: (id) => ({
      status: 'error',
      error: { code: 'FORBIDDEN', message: 'planted', details: {}, trace_id: id, timestamp: anyTime },
      meta: { request_id: id, api_version: 'v2' },
    }),
  },
  {
    name: 'E (qualifier)',
    plugin: qualifierPlugin,
    url: '/health',
    forbidden: (id) => ({ error: { code: 'FORBIDDEN', message: 'planted', details: { request_id: id } } }),
  },
];

describe('surface plugins', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t.close());

  describe.each(cases)('$name, alone on a bare app with no error handler of its own', (c) => {
    let app: FastifyInstance;
    beforeAll(async () => {
      app = Fastify({ genReqId: () => REQUEST_ID });
      app.setValidatorCompiler(validatorCompiler);
      app.setSerializerCompiler(serializerCompiler);
      // A root-level hook, as auth is: its errors take the error handler of the route's scope.
      app.addHook('onRequest', (request, _reply, done) => {
        done(request.headers['x-refuse'] === '1' ? forbidden('planted') : undefined);
      });
      await app.register(c.plugin, { deps: t.deps });
      await app.ready();
    });
    afterAll(async () => app.close());

    it('answers an error from a root hook on its route in its own envelope', async () => {
      const res = await app.inject({ method: 'GET', url: c.url, headers: { 'x-refuse': '1' } });
      expect(res.statusCode).toBe(403);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.json()).toEqual(c.forbidden(REQUEST_ID));
    });
  });

  describe('spec A alone', () => {
    let app: FastifyInstance;
    beforeAll(async () => {
      app = Fastify({ genReqId: () => REQUEST_ID });
      app.setValidatorCompiler(validatorCompiler);
      app.setSerializerCompiler(serializerCompiler);
      await app.register(ingestionPlugin, { deps: t.deps });
      await app.ready();
    });
    afterAll(async () => app.close());

    it('answers bad JSON and invalid fields in spec A’s envelope', async () => {
      const bad = await app.inject({
        method: 'POST',
        url: '/v1/auth/token',
        headers: { 'content-type': 'application/json' },
        payload: '{oops',
      });
      expect(bad.statusCode).toBe(400);
      expect(bad.json()).toMatchObject({
        success: false,
        error: { code: 'VALIDATION_ERROR', details: { field_errors: [{ field: 'body', issue: 'is not valid JSON' }] } },
      });
      const invalid = await app.inject({ method: 'POST', url: '/v1/auth/token', payload: { client_id: 'x' } });
      expect(invalid.statusCode).toBe(400);
      expect(invalid.json()).toMatchObject({
        success: false,
        error: {
          code: 'VALIDATION_ERROR',
          details: { field_errors: [{ field: 'client_secret', issue: 'is required' }] },
        },
      });
    });
  });
});
