import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../helpers/app.js';
import { dialects } from '../../helpers/db.js';
import { insertRequest, SPEC_STEPS, type StepFixture } from '../../helpers/ingestion-fixtures.js';
import { browserOf, nextAddress, signedInUser, type Browser } from './app-session.js';

type Body = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- response bodies are read field by field

/** Spec A's steps with the CRM one failed: what a request left by a rejected CRM token looks like. */
const FAILED_AT_CRM: StepFixture[] = SPEC_STEPS.map((step) =>
  step === 'crm_integration' ? { step, status: 'failed', error: 'CRM_INTEGRATION_ERROR: token rejected' } : { step },
);

describe.each(dialects)('web app ingestion requests on $label', ({ dialect, skip }) => {
  let t: TestApp;

  beforeAll(async () => {
    if (!skip) t = await startTestApp({ dialect });
  });
  afterAll(async () => {
    if (!skip) await t.close();
  });

  const db = () => t.deps.database.db;
  const get = async (browser: Browser, url: string) => {
    const res = await t.app.inject({ method: 'GET', url, headers: browser.read });
    return { status: res.statusCode, body: res.json<Body>() };
  };
  const retry = async (browser: Browser, id: string) => {
    const res = await t.app.inject({ method: 'POST', url: `/app/api/requests/${id}/retry`, headers: browser.write });
    return { status: res.statusCode, body: res.json<Body>() };
  };
  const failedRequest = (tenantId: string, createdAt = '2026-11-02T10:00:00.000Z') =>
    insertRequest(db(), tenantId, {
      status: 'failed',
      error_message: 'CRM_INTEGRATION_ERROR: token rejected',
      created_at: createdAt,
      steps: FAILED_AT_CRM,
    });

  describe.skipIf(skip)('GET /app/api/requests', () => {
    it('lists the tenant’s requests newest first with a total, filtered by status and date, a page at a time', async () => {
      const tenant = await t.createTenant();
      const { browser } = await signedInUser(t, tenant.id, { email: 'olive@list.example', role: 'owner' });
      const done = await insertRequest(db(), tenant.id, { created_at: '2026-11-01T09:00:00.000Z' });
      const failed = await failedRequest(tenant.id, '2026-11-02T10:00:00.000Z');
      const later = await insertRequest(db(), tenant.id, { created_at: '2026-11-03T11:00:00.000Z' });

      const all = await get(browser, '/app/api/requests');
      expect(all.status, JSON.stringify(all.body)).toBe(200);
      expect(all.body.data.total).toBe(3);
      expect(all.body.data.requests.map((r: Body) => r.id)).toEqual([later, failed, done]);
      expect(all.body.data.requests[1]).toMatchObject({
        id: failed,
        status: 'failed',
        source: 'callrail',
        caller: { phone: '+15551234567' },
        error_message: 'CRM_INTEGRATION_ERROR: token rejected',
        retry_scheduled: false,
      });

      const onlyFailed = await get(browser, '/app/api/requests?status=failed');
      expect(onlyFailed.body.data).toMatchObject({ total: 1, requests: [{ id: failed }] });
      const range = await get(browser, '/app/api/requests?from=2026-11-02&to=2026-11-02');
      expect(range.body.data.requests.map((r: Body) => r.id)).toEqual([failed]);
      const page = await get(browser, '/app/api/requests?limit=1&offset=1');
      expect(page.body.data).toMatchObject({ total: 3, requests: [{ id: failed }] });
      expect((await get(browser, '/app/api/requests?status=lost')).status).toBe(400);
      const backwards = await get(browser, '/app/api/requests?from=2026-11-03&to=2026-11-02');
      expect(backwards.status).toBe(400);
      expect(backwards.body.error.fields).toEqual([{ field: 'to', issue: 'must not be before from' }]);
    });
  });

  describe.skipIf(skip)('GET /app/api/requests/{id}', () => {
    it('answers the step timeline with attempts, times and errors, and the lead the request produced', async () => {
      const tenant = await t.createTenant();
      const { browser } = await signedInUser(t, tenant.id, { email: 'sam@detail.example', role: 'agent' });
      const qualified = await t.app.inject({
        method: 'POST',
        url: '/api/qualify',
        headers: { authorization: `Bearer ${tenant.apiKey}` },
        payload: { email: 'dana@northwind.example', company: 'Northwind', message: 'New roof this month, $18,000.' },
      });
      expect(qualified.statusCode, qualified.body).toBe(200);
      const leadId = qualified.json<Body>().id as string;
      const id = await insertRequest(db(), tenant.id, {
        status: 'failed',
        lead_id: leadId,
        created_at: '2026-11-02T10:00:00.000Z',
        steps: FAILED_AT_CRM,
      });

      const res = await get(browser, `/app/api/requests/${id}`);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      const detail = res.body.data;
      expect(detail).toMatchObject({ id, status: 'failed', lead: { id: leadId, email: 'dana@northwind.example' } });
      expect(detail.steps.map((s: Body) => [s.name, s.status])).toEqual([
        ['webhook_received', 'completed'],
        ['callrail_api_fetch', 'completed'],
        ['audio_download', 'completed'],
        ['speech_to_text', 'completed'],
        ['ai_analysis', 'completed'],
        ['crm_integration', 'failed'],
        ['notification', 'pending'],
      ]);
      expect(detail.steps[5]).toEqual({
        name: 'crm_integration',
        status: 'failed',
        attempts: 1,
        started_at: '2026-11-02T10:00:05.000Z',
        finished_at: '2026-11-02T10:00:05.500Z',
        duration_ms: 500,
        error: 'CRM_INTEGRATION_ERROR: token rejected',
        reason: null,
      });
      expect(detail.steps[6]).toMatchObject({ attempts: 0, started_at: null, finished_at: null });
      expect((await get(browser, '/app/api/requests/req_not_there')).status).toBe(404);
    });
  });

  describe.skipIf(skip)('POST /app/api/requests/{id}/retry', () => {
    it('queues a failed request again from its failed step, audited', async () => {
      const tenant = await t.createTenant();
      const { browser, userId } = await signedInUser(t, tenant.id, { email: 'ada@retry.example', role: 'admin' });
      const id = await failedRequest(tenant.id);

      const res = await retry(browser, id);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.data).toMatchObject({ id, retry_scheduled: true, retry_at: expect.any(String) });
      const crm = res.body.data.steps.find((s: Body) => s.name === 'crm_integration');
      expect(crm).toMatchObject({ status: 'pending', attempts: 1 });
      const jobs = await db()
        .selectFrom('jobs')
        .select('payload')
        .where('tenant_id', '=', tenant.id)
        .where('type', '=', 'ingest.step')
        .execute();
      expect(jobs.map((j) => JSON.parse(j.payload) as Body)).toEqual([
        { tenantId: tenant.id, requestId: id, step: 'crm_integration', generation: 1 },
      ]);
      const audit = await db()
        .selectFrom('audit_log')
        .select(['action', 'actor_id'])
        .where('tenant_id', '=', tenant.id)
        .where('target_id', '=', id)
        .execute();
      expect(audit).toEqual([{ action: 'ingestion_request.updated', actor_id: userId }]);
    });

    it('refuses a request that has not failed with 409 saying why', async () => {
      const tenant = await t.createTenant();
      const { browser } = await signedInUser(t, tenant.id, { email: 'olive@conflict.example', role: 'owner' });
      const completed = await insertRequest(db(), tenant.id);
      const running = await insertRequest(db(), tenant.id, {
        status: 'processing',
        steps: [{ step: 'webhook_received' }, { step: 'callrail_api_fetch', status: 'running', duration_ms: null }],
      });
      const done = await retry(browser, completed);
      expect(done.status).toBe(409);
      expect(done.body.error).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('it completed') });
      const busy = await retry(browser, running);
      expect(busy.status).toBe(409);
      expect(busy.body.error.message).toContain('it is processing and has not failed');
      const jobs = await db().selectFrom('jobs').select('id').where('tenant_id', '=', tenant.id).execute();
      expect(jobs).toEqual([]);
    });

    it('lets an agent read requests but not retry them, and keeps a viewer out', async () => {
      const tenant = await t.createTenant();
      const agent = await signedInUser(t, tenant.id, { email: 'sam@roles.example', role: 'agent' });
      const viewer = await signedInUser(t, tenant.id, { email: 'vic@roles.example', role: 'viewer' });
      const id = await failedRequest(tenant.id);
      expect((await get(agent.browser, `/app/api/requests/${id}`)).status).toBe(200);
      const refused = await retry(agent.browser, id);
      expect(refused.status).toBe(403);
      expect(refused.body.error.code).toBe('FORBIDDEN');
      expect((await get(viewer.browser, '/app/api/requests')).status).toBe(403);
      expect((await get(viewer.browser, `/app/api/requests/${id}`)).status).toBe(403);
      expect((await retry(viewer.browser, id)).status).toBe(403);
      const noCsrf = await t.app.inject({
        method: 'POST',
        url: `/app/api/requests/${id}/retry`,
        headers: agent.browser.read,
      });
      expect(noCsrf.statusCode).toBe(403);
      const row = await db()
        .selectFrom('ingestion_requests')
        .select(['retry_scheduled', 'generation'])
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      expect(row).toMatchObject({ generation: 0 });
      expect(Boolean(row.retry_scheduled)).toBe(false);
    });
  });

  describe.skipIf(skip)('the request page a notice links to', () => {
    it('sends a signed-out visitor of /app/requests/{id} to sign in first, then back to it', async () => {
      const res = await t.app.inject({ method: 'GET', url: '/app/requests/req_123' });
      expect(res.statusCode).toBe(303);
      expect(res.headers.location).toBe(`/app/login?next=${encodeURIComponent('/app/requests/req_123')}`);
    });
  });

  describe.skipIf(skip)('tenant isolation', () => {
    it('keeps tenant B’s people out of tenant A’s requests', async () => {
      const a = await t.createTenant();
      const b = await t.createTenant();
      const owner = await t.app.inject({
        method: 'GET',
        url: `/app/login/owner?token=${encodeURIComponent(b.credentials.owner_token)}`,
        remoteAddress: nextAddress(),
      });
      const intruders = [
        (await signedInUser(t, b.id, { email: 'ada@b.example', role: 'admin' })).browser,
        browserOf(owner),
      ];
      const idA = await failedRequest(a.id);
      for (const intruder of intruders) {
        expect((await get(intruder, '/app/api/requests')).body.data.total).toBe(0);
        expect((await get(intruder, `/app/api/requests/${idA}`)).status).toBe(404);
        expect((await retry(intruder, idA)).status).toBe(404);
      }
      const row = await db()
        .selectFrom('ingestion_requests')
        .select(['status', 'generation'])
        .where('id', '=', idA)
        .executeTakeFirstOrThrow();
      expect(row).toEqual({ status: 'failed', generation: 0 });
      const jobs = await db().selectFrom('jobs').select('id').where('tenant_id', '=', a.id).execute();
      expect(jobs).toEqual([]);
    });
  });
});
