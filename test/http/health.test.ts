import fs from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { TEST_REDIS_URL } from '../helpers/db.js';

const anyTime = expect.stringMatching(/^\d{4}-\d\d-\d\dT/);

describe('health', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t.close());
  afterEach(() => {
    vi.restoreAllMocks();
  });

  const INTERNAL = ['/api/v2/health/detailed', '/api/v2/health/dependencies', '/api/v2/health/metrics'];
  /** Spec D's "Internal Only" routes are read with the operator's key, the others with none. */
  const get = (url: string) =>
    t.app.inject({ method: 'GET', url, headers: INTERNAL.includes(url.split('?')[0]!) ? t.adminHeaders : {} });

  describe('while everything is up', () => {
    it('answers the shared /health of specs B and E with the union of their fields', async () => {
      const res = await get('/health');
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({
        status: 'healthy',
        timestamp: anyTime,
        version: expect.any(String),
        environment: 'development',
        uptime_seconds: expect.any(Number),
      });
    });

    it('answers spec B liveness and readiness', async () => {
      expect((await get('/health/live')).json()).toEqual({
        status: 'alive',
        timestamp: anyTime,
        uptime_seconds: expect.any(Number),
      });
      const ready = await get('/health/ready');
      expect(ready.statusCode).toBe(200);
      expect(ready.json()).toEqual({
        status: 'ready',
        timestamp: anyTime,
        checks: { database: 'ok', redis: 'not_configured' },
      });
    });

    it('lists the database, Redis, storage and OpenAI in spec E /health/detailed', async () => {
      const res = await get('/health/detailed');
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({
        status: 'healthy',
        ready: true,
        dependencies: {
          database: { status: 'healthy', response_time_ms: expect.any(Number), details: { dialect: 'sqlite' } },
          redis: { status: 'not_configured' },
          storage: { status: 'healthy', response_time_ms: expect.any(Number) },
          openai: { status: 'not_configured', details: { scope: 'per_tenant', fallback: 'local_engine' } },
        },
      });
    });

    it('answers spec C /healthz with {"status":"ok"}', async () => {
      const res = await get('/healthz');
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ status: 'ok' });
    });

    it('answers spec A /v1/health with the services this deployment has and recent request figures', async () => {
      const res = await get('/v1/health');
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body).toEqual({
        status: 'healthy',
        timestamp: anyTime,
        version: expect.any(String),
        environment: 'development',
        services: {
          database: {
            status: 'healthy',
            response_time_ms: expect.any(Number),
            dialect: 'sqlite',
            connections_active: 0,
            connections_idle: 1,
          },
          storage: { status: 'healthy', response_time_ms: expect.any(Number) },
        },
        metrics: {
          requests_per_minute: expect.any(Number),
          error_rate: expect.any(Number),
          average_processing_time_ms: null,
        },
      });
      // Vendors spec A lists but this deployment does not depend on are left out, not invented.
      expect(body.services).not.toHaveProperty('speech_api');
      expect(body.services).not.toHaveProperty('redis');
    });

    it('answers spec A /v1/health/detailed with pass/fail checks, including the job queue', async () => {
      const res = await get('/v1/health/detailed');
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({
        status: 'healthy',
        timestamp: anyTime,
        checks: [
          {
            name: 'database_connectivity',
            status: 'pass',
            response_time_ms: expect.any(Number),
            details: {
              dialect: 'sqlite',
              read_query: 'SELECT 1',
              connections_active: 0,
              connections_idle: 1,
              connections_total: 1,
            },
          },
          {
            name: 'storage_writable',
            status: 'pass',
            response_time_ms: expect.any(Number),
            details: { backend: 'filesystem', write_test: 'passed' },
          },
          {
            name: 'job_queue',
            status: 'pass',
            response_time_ms: expect.any(Number),
            details: { backend: 'embedded', queued: 0, active: 0, completed: expect.any(Number), dead: 0 },
          },
        ],
      });
    });

    it('answers spec D six health routes', async () => {
      expect((await get('/api/v2/health')).json()).toEqual({
        status: 'healthy',
        timestamp: anyTime,
        version: expect.any(String),
        uptime_seconds: expect.any(Number),
        environment: 'development',
      });
      expect((await get('/api/v2/health/detailed')).json()).toMatchObject({
        status: 'healthy',
        services: {
          chat_service: {
            status: 'healthy',
            memory_usage_mb: expect.any(Number),
            cpu_usage_percent: expect.any(Number),
          },
          storage: { status: 'healthy' },
        },
        databases: {
          sqlite: {
            status: 'healthy',
            response_time_ms: expect.any(Number),
            active_connections: 0,
            idle_connections: 1,
          },
        },
      });
      expect((await get('/api/v2/health/dependencies')).json()).toMatchObject({
        status: 'healthy',
        dependencies: { database: { status: 'healthy', last_check: anyTime }, storage: { status: 'healthy' } },
        overall_health_score: 1,
      });
      expect((await get('/api/v2/health/metrics')).json()).toMatchObject({
        status: 'success',
        timeframe: '1h',
        metrics: { requests_per_second: expect.any(Number), disk_usage_percent: expect.any(Number) },
      });
      expect((await get('/api/v2/health/readiness')).json()).toEqual({
        status: 'ready',
        timestamp: anyTime,
        checks: { database: 'ok', redis: 'not_configured' },
      });
      expect((await get('/api/v2/health/liveness')).json()).toEqual({
        status: 'alive',
        timestamp: anyTime,
        uptime_seconds: expect.any(Number),
      });
    });

    it('needs no credentials on the public health routes', async () => {
      for (const url of ['/health', '/health/detailed', '/v1/health/detailed', '/api/v2/health']) {
        expect((await get(url)).statusCode, url).toBe(200);
      }
    });

    it('keeps spec D’s "Internal Only" routes to the admin key', async () => {
      const tenant = await t.createTenant();
      for (const url of INTERNAL) {
        const anonymous = await t.app.inject({ method: 'GET', url });
        expect(anonymous.statusCode, url).toBe(401);
        expect(anonymous.json()).toMatchObject({ status: 'error', error: { code: 'UNAUTHORIZED' } });
        const asTenant = await t.app.inject({ method: 'GET', url, headers: { 'x-api-key': tenant.apiKey } });
        expect(asTenant.statusCode, url).toBe(403);
        expect((await get(url)).statusCode, url).toBe(200);
      }
    });
  });

  describe('while the database is unreachable', () => {
    const breakDatabase = () =>
      vi.spyOn(t.deps.database, 'ping').mockRejectedValue(new Error('connect ECONNREFUSED 127.0.0.1:5432'));

    it('answers readiness with 503 on specs B and D', async () => {
      breakDatabase();
      const b = await get('/health/ready');
      expect(b.statusCode).toBe(503);
      expect(b.json()).toEqual({
        status: 'not_ready',
        timestamp: anyTime,
        checks: { database: 'failed', redis: 'not_configured' },
        reasons: { database: expect.any(String) },
      });
      const d = await get('/api/v2/health/readiness');
      expect(d.statusCode).toBe(503);
      expect(d.json().checks.database).toBe('failed');
    });

    it('reports unhealthy with 503 on the detailed and spec A/D summary routes', async () => {
      breakDatabase();
      for (const url of [
        '/health/detailed',
        '/v1/health',
        '/v1/health/detailed',
        '/api/v2/health',
        '/api/v2/health/detailed',
        '/api/v2/health/dependencies',
      ]) {
        const res = await get(url);
        expect(res.statusCode, url).toBe(503);
        expect(res.json().status, url).toBe('unhealthy');
      }
      const a = (await get('/v1/health/detailed')).json();
      expect(a.checks[0]).toMatchObject({
        name: 'database_connectivity',
        status: 'fail',
        response_time_ms: null,
        error: 'connect ECONNREFUSED 127.0.0.1:5432',
      });
    });

    it('keeps liveness at 200, and /health at 200 saying unhealthy', async () => {
      breakDatabase();
      for (const url of ['/health/live', '/healthz', '/api/v2/health/liveness'])
        expect((await get(url)).statusCode, url).toBe(200);
      const root = await get('/health');
      expect(root.statusCode).toBe(200);
      expect(root.json().status).toBe('unhealthy');
    });
  });

  it('is not ready while the data directory is not writable, and says so', async () => {
    const other = await startTestApp();
    try {
      fs.rmSync(other.dataDir, { recursive: true, force: true });
      fs.writeFileSync(other.dataDir, 'not a directory');
      const ready = await other.app.inject({ url: '/health/ready' });
      expect(ready.statusCode).toBe(503);
      expect(ready.json()).toMatchObject({
        status: 'not_ready',
        checks: { database: 'ok' },
        reasons: { storage: expect.any(String) },
      });
      const health = await other.app.inject({ url: '/v1/health' });
      expect(health.statusCode).toBe(503);
      expect(health.json()).toMatchObject({
        status: 'unhealthy',
        services: { storage: { status: 'unhealthy', response_time_ms: null, error: expect.any(String) } },
      });
      const detailed = (await other.app.inject({ url: '/v1/health/detailed' })).json();
      expect(detailed.checks[1]).toMatchObject({
        name: 'storage_writable',
        status: 'fail',
        details: { write_test: 'failed' },
      });
      const dependencies = await other.app.inject({ url: '/api/v2/health/dependencies', headers: other.adminHeaders });
      expect(dependencies.json().status).toBe('unhealthy');
    } finally {
      await other.close();
    }
  });
});

describe.skipIf(!TEST_REDIS_URL)(
  `health with Redis${TEST_REDIS_URL ? '' : ' (skipped: set TEST_REDIS_URL to run)'}`,
  () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({ env: { REDIS_URL: TEST_REDIS_URL } });
    });
    afterAll(async () => t.close());
    afterEach(() => {
      vi.restoreAllMocks();
    });

    it('checks Redis for readiness', async () => {
      const res = await t.app.inject({ url: '/health/ready' });
      expect(res.statusCode).toBe(200);
      expect(res.json().checks).toEqual({ database: 'ok', redis: 'ok' });
      expect((await t.app.inject({ url: '/v1/health' })).json().services.redis).toEqual({
        status: 'healthy',
        response_time_ms: expect.any(Number),
      });
    });

    it('answers readiness with 503 while Redis is unreachable', async () => {
      vi.spyOn(t.deps.redis!, 'ping').mockRejectedValue(new Error('Connection is closed.'));
      const res = await t.app.inject({ url: '/health/ready' });
      expect(res.statusCode).toBe(503);
      expect(res.json().checks).toEqual({ database: 'ok', redis: 'failed' });
      expect((await t.app.inject({ url: '/api/v2/health/readiness' })).statusCode).toBe(503);
    });
  },
);
