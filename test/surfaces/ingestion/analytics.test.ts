import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../helpers/app.js';
import { dialects } from '../../helpers/db.js';
import { insertRequest } from '../../helpers/ingestion-fixtures.js';
import { itIsolatesTenants } from '../../helpers/isolation.js';

type Tenant = Awaited<ReturnType<TestApp['createTenant']>>;
/** JSON as the API answered it. */
type Body = ReturnType<typeof JSON.parse>;

const DAY = 86_400_000;

describe.each(dialects)('spec A tenant analytics on $label', ({ dialect, skip }) => {
  let t: TestApp;

  beforeAll(async () => {
    if (!skip) t = await startTestApp({ dialect });
  });
  afterAll(async () => {
    if (!skip) await t.close();
  });

  const newTenant = (configuration: Record<string, unknown> = {}) =>
    t.createTenant({ configuration: { rate_limits: { multiplier: 100 }, ...configuration } });
  const analytics = async (tenant: Tenant, query = '') => {
    const res = await t.app.inject({
      url: `/v1/tenants/${tenant.id}/analytics${query}`,
      headers: { 'x-api-key': tenant.apiKey },
    });
    const body: Body = res.json();
    return {
      status: res.statusCode,
      body,
      data: body.data,
      headers: res.headers,
      requestId: String(res.headers['x-request-id']),
    };
  };

  /** Two days of traffic in the last week and one request from 40 days ago. */
  const seed = async (tenant: Tenant) => {
    const db = t.deps.database.db;
    const twoDaysAgo = new Date(Date.now() - 2 * DAY);
    const yesterday = new Date(Date.now() - DAY);
    const at = (d: Date, ms = 0) => new Date(d.getTime() + ms).toISOString();
    await insertRequest(db, tenant.id, {
      created_at: at(twoDaysAgo),
      lead_score: 90,
      project_type: 'kitchen_remodel',
      processing_time_ms: 1000,
      ack_ms: 40,
      steps: [
        { step: 'speech_to_text', cost_usd: 0.01 },
        { step: 'ai_analysis', cost_usd: 0.002 },
      ],
      crm: [{ status: 'success' }],
    });
    await insertRequest(db, tenant.id, {
      created_at: at(twoDaysAgo, 1),
      lead_score: 50,
      project_type: 'bathroom_remodel',
      processing_time_ms: 3000,
      ack_ms: 60,
      steps: [{ step: 'speech_to_text', cost_usd: 0.02 }],
      crm: [{ status: 'failed' }],
    });
    await insertRequest(db, tenant.id, {
      created_at: at(twoDaysAgo, 2),
      status: 'failed',
      lead_score: null,
      project_type: null,
      ack_ms: 100,
      steps: [],
      crm: [],
    });
    await insertRequest(db, tenant.id, {
      created_at: at(yesterday),
      lead_score: 20,
      project_type: 'kitchen_remodel',
      processing_time_ms: 2000,
      ack_ms: 20,
      steps: [],
      crm: [],
    });
    await insertRequest(db, tenant.id, {
      created_at: at(yesterday, 1),
      status: 'processing',
      lead_score: 81,
      project_type: null,
      ack_ms: null,
      steps: [],
      crm: [],
    });
    await insertRequest(db, tenant.id, {
      created_at: at(new Date(Date.now() - 40 * DAY)),
      lead_score: 100,
      steps: [{ step: 'speech_to_text', cost_usd: 1 }],
      crm: [],
    });
    return { twoDaysAgo: twoDaysAgo.toISOString().slice(0, 10), yesterday: yesterday.toISOString().slice(0, 10) };
  };

  describe.skipIf(skip)('GET /v1/tenants/{tenant_id}/analytics', () => {
    it('answers every section of spec A’s analytics for the period', async () => {
      const tenant = await newTenant();
      const days = await seed(tenant);
      const res = await analytics(tenant, '?period=7d');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ success: true, request_id: res.requestId });
      expect(res.data).toEqual({
        period: '7d',
        tenant_id: tenant.id,
        summary: {
          total_calls: 5,
          processed_calls: 3,
          failed_calls: 1,
          success_rate: 0.75,
          average_lead_score: 60.3,
          high_value_leads: 2,
          crm_sync_success_rate: 0.5,
        },
        daily_breakdown: [
          { date: days.twoDaysAgo, calls: 3, success_rate: 0.6667, average_score: 70, processing_time_avg_ms: 2000 },
          { date: days.yesterday, calls: 2, success_rate: 1, average_score: 50.5, processing_time_avg_ms: 2000 },
        ],
        quality_metrics: {
          lead_score_distribution: { '0-20': 1, '21-40': 0, '41-60': 1, '61-80': 0, '81-100': 2 },
          project_type_breakdown: { kitchen_remodel: 2, bathroom_remodel: 1, other: 2 },
        },
        performance_metrics: {
          average_processing_time_ms: 2000,
          p50_processing_time_ms: 2000,
          p95_processing_time_ms: 3000,
          webhook_response_time_ms: 55,
        },
        cost_analysis: {
          total_cost: 0.032,
          cost_per_call: 0.0064,
          cost_breakdown: { ai_analysis: 0.002, speech_to_text: 0.03 },
        },
      });
    });

    it('defaults to 30 days and widens with the period', async () => {
      const tenant = await newTenant();
      await seed(tenant);
      const thirty = await analytics(tenant);
      expect([thirty.data.period, thirty.data.summary.total_calls]).toEqual(['30d', 5]);
      const ninety = await analytics(tenant, '?period=90d');
      expect(ninety.data.summary).toMatchObject({ total_calls: 6, processed_calls: 4, high_value_leads: 3 });
      expect(ninety.data.cost_analysis.cost_breakdown.speech_to_text).toBe(1.03);
      expect((await analytics(tenant, '?period=1y')).data.summary.total_calls).toBe(6);
    });

    it.each([
      ['?metrics=volume,quality', ['daily_breakdown', 'quality_metrics']],
      ['?metrics=performance&metrics=costs', ['performance_metrics', 'cost_analysis']],
      ['?metrics=costs', ['cost_analysis']],
      ['', ['daily_breakdown', 'quality_metrics', 'performance_metrics', 'cost_analysis']],
    ])('includes only the sections %s asks for, and always the summary', async (query, sections) => {
      const tenant = await newTenant();
      const res = await analytics(tenant, query);
      expect(Object.keys(res.data).sort()).toEqual(['period', 'summary', 'tenant_id', ...sections].sort());
    });

    it('counts high-value leads at the tenant’s own threshold', async () => {
      const tenant = await newTenant({ notification_config: { high_value_threshold: 85 } });
      await seed(tenant);
      expect((await analytics(tenant, '?period=7d')).data.summary.high_value_leads).toBe(1);
    });

    it('answers zeros and nulls for a tenant with no traffic', async () => {
      const tenant = await newTenant();
      const res = await analytics(tenant);
      expect(res.data.summary).toEqual({
        total_calls: 0,
        processed_calls: 0,
        failed_calls: 0,
        success_rate: null,
        average_lead_score: null,
        high_value_leads: 0,
        crm_sync_success_rate: null,
      });
      expect(res.data.performance_metrics).toEqual({
        average_processing_time_ms: null,
        p50_processing_time_ms: null,
        p95_processing_time_ms: null,
        webhook_response_time_ms: null,
      });
      expect(res.data.cost_analysis).toEqual({ total_cost: 0, cost_per_call: null, cost_breakdown: {} });
      expect(res.data.daily_breakdown).toEqual([]);
    });

    it.each([
      ['period', '?period=2w'],
      ['metrics', '?metrics=volume,revenue'],
    ])('answers 400 VALIDATION_ERROR naming %s', async (field, query) => {
      const tenant = await newTenant();
      const res = await analytics(tenant, query);
      expect([res.status, res.body.error.code]).toEqual([400, 'VALIDATION_ERROR']);
      expect(res.body.error.details.field_errors).toEqual(
        expect.arrayContaining([expect.objectContaining({ field: expect.stringMatching(new RegExp(`^${field}`)) })]),
      );
    });

    it('spends the analytics budget of spec A’s rate-limit table', async () => {
      const tenant = await t.createTenant();
      const res = await analytics(tenant);
      expect(res.headers['x-ratelimit-limit']).toBe('100');
      expect(res.headers['x-ratelimit-window']).toBe('3600');
    });
  });

  describe.skipIf(skip)('tenant isolation', () => {
    itIsolatesTenants(() => t, [{ method: 'GET', path: '/v1/tenants/:tenant/analytics' }]);
  });
});
