import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { AppError } from '../../src/domain/errors.js';
import { BUSINESS_MAPS, COUNTER_NAMES } from '../../src/domain/metrics/index.js';
import { createMetrics } from '../../src/http/metrics.js';
import { startTestApp, type TestApp } from '../helpers/app.js';

function throwawayRoutes(app: FastifyInstance): void {
  app.get('/api/leads/m-test/:id', { config: { auth: 'public' } }, () => ({ ok: true }));
  app.get('/api/leads/m-test-fails', { config: { auth: 'public' } }, () => {
    throw new AppError('VALIDATION', 'bad', { fields: [{ field: 'x', issue: 'is required' }] });
  });
}

describe('metrics', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ beforeReady: throwawayRoutes });
  });
  afterAll(async () => t.close());

  const get = (url: string) => t.app.inject({ method: 'GET', url });

  describe('spec C /metrics', () => {
    it('reports every named counter (0 until counted) and the per-business maps', async () => {
      const body = (await get('/metrics')).json();
      for (const name of COUNTER_NAMES) expect(body[name], name).toBe(0);
      for (const map of BUSINESS_MAPS) expect(body[map], map).toEqual({});
    });

    it('counts requests and errors per route pattern, with latency', async () => {
      const before = (await get('/metrics')).json();
      await get('/api/leads/m-test/1');
      await get('/api/leads/m-test/2');
      await get('/api/leads/m-test-fails');
      const body = (await get('/metrics')).json();
      expect(body.route_metrics['/api/leads/m-test/:id']).toEqual({
        requests: 2,
        errors: 0,
        avg_latency_ms: expect.any(Number),
        p95_latency_ms: expect.any(Number),
      });
      expect(body.route_metrics['/api/leads/m-test-fails']).toMatchObject({ requests: 1, errors: 1 });
      // The three requests above and the first /metrics call itself.
      expect(body.total_requests - before.total_requests).toBe(4);
      expect(body.total_errors - before.total_errors).toBe(1);
    });

    it('shows what features count through the Counters port', async () => {
      t.deps.metrics.increment('sms_sent_total');
      t.deps.metrics.increment('appointments_scheduled', 2);
      t.deps.metrics.incrementForBusiness('sms_by_business', 'tenant_a', 'sms_sent_customer');
      const body = (await get('/metrics')).json();
      expect(body).toMatchObject({
        sms_sent_total: 1,
        appointments_scheduled: 2,
        sms_by_business: { tenant_a: { sms_sent_customer: 1 } },
      });
      const text = (await get('/metrics/prometheus')).body;
      expect(text).toMatch(/^frontdesk_sms_sent_total 1$/m);
      expect(text).toMatch(/^frontdesk_appointments_scheduled_total 2$/m);
    });
  });

  describe('spec C /metrics/prometheus', () => {
    it('serves the text format with per-route counters, latency and process metrics', async () => {
      await get('/api/leads/m-test/7');
      await get('/nowhere');
      const res = await get('/metrics/prometheus');
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
      expect(res.body).toMatch(
        /^frontdesk_http_requests_total\{method="GET",route="\/api\/leads\/m-test\/:id",status="200"\} \d+$/m,
      );
      expect(res.body).toMatch(
        /^frontdesk_http_request_errors_total\{method="GET",route="\(unmatched\)",status="404"\} 1$/m,
      );
      expect(res.body).toMatch(
        /^frontdesk_http_request_duration_seconds_bucket\{le="0\.005",method="GET",route="\/api\/leads\/m-test\/:id"\} \d+$/m,
      );
      expect(res.body).toMatch(/^frontdesk_process_cpu_user_seconds_total /m);
    });

    it('keeps each app instance on its own registry', async () => {
      const other = await startTestApp();
      try {
        await other.app.inject({ url: '/healthz' });
        const text = (await other.app.inject({ url: '/metrics/prometheus' })).body;
        expect(text).toMatch(/route="\/healthz",status="200"\} 1$/m);
        expect(text).not.toContain('/api/leads/m-test');
      } finally {
        await other.close();
      }
    });
  });

  describe('spec A /v1/metrics', () => {
    it('reports requests, performance, errors by type and resources for the timeframe', async () => {
      await get('/api/leads/m-test-fails');
      await get('/nowhere-else');
      const res = await get('/v1/metrics');
      expect(res.statusCode).toBe(200);
      const { data } = res.json();
      expect(data.timeframe).toBe('1h');
      expect(data.metrics.requests).toEqual({
        total: expect.any(Number),
        successful: expect.any(Number),
        failed: expect.any(Number),
        success_rate: expect.any(Number),
      });
      expect(data.metrics.requests.total).toBe(data.metrics.requests.successful + data.metrics.requests.failed);
      expect(data.metrics.errors.by_type).toMatchObject({
        validation: expect.any(Number),
        not_found: expect.any(Number),
      });
      expect(data.metrics.errors.total).toBe(data.metrics.requests.failed);
      expect(data.metrics.performance).toMatchObject({
        avg_response_time_ms: expect.any(Number),
        p95_response_time_ms: expect.any(Number),
        p50_processing_time_ms: null,
      });
      expect(data.metrics.resources).toEqual({
        cpu_usage_percent: expect.any(Number),
        memory_usage_percent: expect.any(Number),
      });
    });

    it('returns only the groups asked for', async () => {
      const { data } = (await get('/v1/metrics?timeframe=24h&metrics=requests,errors')).json();
      expect(data.timeframe).toBe('24h');
      expect(Object.keys(data.metrics)).toEqual(['requests', 'errors']);
    });

    it('reports pipeline processing times once runs are recorded', async () => {
      t.deps.metrics.observeProcessing(40_000, true);
      t.deps.metrics.observeProcessing(80_000, false);
      const { data } = (await get('/v1/metrics?metrics=performance')).json();
      expect(data.metrics.performance.p50_processing_time_ms).toBeGreaterThan(30_000);
      expect(data.metrics.performance.p99_processing_time_ms).toBeGreaterThan(60_000);
    });

    it('rejects an unknown timeframe in spec A envelope', async () => {
      const res = await get('/v1/metrics?timeframe=2h');
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({
        success: false,
        error: { code: 'VALIDATION_ERROR', details: { field_errors: [{ field: 'timeframe' }] } },
      });
    });
  });

  describe('spec D /api/v2/health/metrics', () => {
    it('reports rates and percentiles for the timeframe', async () => {
      const res = await t.app.inject({
        method: 'GET',
        url: '/api/v2/health/metrics?timeframe=6h',
        headers: t.adminHeaders,
      });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({
        status: 'success',
        timestamp: expect.any(String),
        timeframe: '6h',
        metrics: {
          requests_per_second: expect.any(Number),
          average_response_time_ms: expect.any(Number),
          p95_response_time_ms: expect.any(Number),
          p99_response_time_ms: expect.any(Number),
          error_rate_percent: expect.any(Number),
          active_conversations: expect.any(Number),
          messages_processed: expect.any(Number),
          cpu_usage_average: expect.any(Number),
          memory_usage_average: expect.any(Number),
          disk_usage_percent: expect.any(Number),
        },
      });
      expect(res.json().metrics.error_rate_percent).toBeGreaterThan(0);
    });

    it('counts the open conversations and the customer messages of the timeframe', async () => {
      const figures = async () =>
        (
          await t.app.inject({ method: 'GET', url: '/api/v2/health/metrics?timeframe=1h', headers: t.adminHeaders })
        ).json().metrics;
      const before = await figures();
      const tenant = await t.createTenant();
      const say = async (text: string, conversationId?: string): Promise<string> => {
        const res = await t.app.inject({
          method: 'POST',
          url: '/api/v2/chat/message',
          headers: { 'x-api-key': tenant.apiKey },
          payload: {
            user_id: 'visitor_metrics',
            channel: 'web',
            content: { type: 'text', text },
            ...(conversationId ? { conversation_id: conversationId } : {}),
          },
        });
        expect(res.statusCode, res.body).toBe(200);
        return res.json().data.conversation_id;
      };
      const id = await say('hello');
      await say('what are your hours?', id);
      const after = await figures();
      expect(after.active_conversations).toBe(before.active_conversations + 1);
      expect(after.messages_processed).toBe(before.messages_processed + 2);
    });
  });
});

describe('metrics registry', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('estimates percentiles within a bucket width of the truth', () => {
    const metrics = createMetrics();
    for (let ms = 1; ms <= 1000; ms++) metrics.recordRequest('GET', '/x', 200, ms, undefined);
    const { latency } = metrics.recent(3600);
    expect(latency.avg_ms).toBeCloseTo(500.5, 1);
    for (const [estimate, truth] of [
      [latency.p50_ms, 500],
      [latency.p95_ms, 950],
      [latency.p99_ms, 990],
    ] as const) {
      expect(Math.abs((estimate ?? 0) - truth) / truth).toBeLessThan(0.25);
    }
    expect(metrics.totals().route_metrics['/x']).toMatchObject({ requests: 1000, errors: 0, avg_latency_ms: 500.5 });
  });

  it('leaves requests older than the timeframe out, and keeps them for longer ones', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.UTC(2030, 0, 1, 8));
    const metrics = createMetrics();
    metrics.recordRequest('GET', '/x', 500, 10, 'internal');
    vi.setSystemTime(Date.UTC(2030, 0, 1, 10));
    metrics.recordRequest('GET', '/x', 200, 10, undefined);
    expect(metrics.recent(3600)).toMatchObject({ requests: 1, errors: 0, errors_by_type: {} });
    expect(metrics.recent(6 * 3600)).toMatchObject({ requests: 2, errors: 1, errors_by_type: { internal: 1 } });
    vi.setSystemTime(Date.UTC(2030, 0, 3, 10));
    expect(metrics.recent(24 * 3600).requests).toBe(0);
    expect(metrics.recent(7 * 24 * 3600).requests).toBe(2);
  });
});
