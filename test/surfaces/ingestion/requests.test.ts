import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../helpers/app.js';
import { dialects } from '../../helpers/db.js';
import {
  insertRequest,
  specAiAnalysis,
  specCallData,
  specEnrichedData,
  specOriginalPayload,
} from '../../helpers/ingestion-fixtures.js';
import { itIsolatesTenants } from '../../helpers/isolation.js';

type Tenant = Awaited<ReturnType<TestApp['createTenant']>>;
/** JSON as the API answered it. */
type Body = ReturnType<typeof JSON.parse>;

const LIST_KEYS = [
  'request_id',
  'tenant_id',
  'source_type',
  'external_id',
  'status',
  'created_at',
  'updated_at',
  'processed_at',
  'processing_time_ms',
  'call_data',
  'ai_analysis',
  'crm_integrations',
];

describe.each(dialects)('spec A request management on $label', ({ dialect, skip }) => {
  let t: TestApp;

  beforeAll(async () => {
    if (!skip) t = await startTestApp({ dialect });
  });
  afterAll(async () => {
    if (!skip) await t.close();
  });

  /** Spec A allows 25 management calls per 10 s; these suites make more than that. */
  const newTenant = () => t.createTenant({ configuration: { rate_limits: { multiplier: 100 } } });
  const key = (tenant: Tenant) => ({ 'x-api-key': tenant.apiKey });
  const call = async (method: 'GET' | 'PATCH', url: string, headers: Record<string, string>, payload?: unknown) => {
    const res = await t.app.inject({
      method,
      url,
      headers,
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
    const body: Body = res.json();
    return { status: res.statusCode, body, data: body.data, requestId: String(res.headers['x-request-id']) };
  };
  const list = (tenant: Tenant, query = '') => call('GET', `/v1/tenants/${tenant.id}/requests${query}`, key(tenant));
  const jwt = async (tenant: Tenant, scope?: string) => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/auth/token',
      payload: {
        client_id: tenant.credentials.client_id,
        client_secret: tenant.credentials.client_secret,
        ...(scope ? { scope } : {}),
      },
    });
    expect(res.statusCode, res.body).toBe(200);
    return { authorization: `Bearer ${res.json<{ access_token: string }>().access_token}` };
  };
  const db = () => t.deps.database.db;

  describe.skipIf(skip)('GET /v1/tenants/{tenant_id}/requests', () => {
    it('answers spec A’s list shape in the success envelope', async () => {
      const tenant = await newTenant();
      const id = await insertRequest(db(), tenant.id, { created_at: '2025-09-13T14:30:00.000Z' });
      const res = await list(tenant);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        success: true,
        data: { requests: [expect.any(Object)], pagination: { total: 1, limit: 20, offset: 0, has_more: false } },
        request_id: res.requestId,
      });
      const item = res.data.requests[0];
      expect(Object.keys(item).sort()).toEqual([...LIST_KEYS].sort());
      expect(item).toEqual({
        request_id: id,
        tenant_id: tenant.id,
        source_type: 'callrail',
        external_id: 'CAL123456789',
        status: 'completed',
        created_at: '2025-09-13T14:30:00.000Z',
        updated_at: '2025-09-13T14:30:00.000Z',
        processed_at: '2025-09-13T14:33:45.000Z',
        processing_time_ms: 225000,
        call_data: specCallData,
        ai_analysis: specAiAnalysis,
        crm_integrations: [
          {
            crm_type: 'hubspot',
            crm_record_id: '12345678',
            status: 'success',
            sync_time_ms: 850,
            last_sync_at: '2025-09-13T14:30:05.000Z',
          },
        ],
      });
    });

    it('pages newest first with a total and has_more, and honours offset', async () => {
      const tenant = await newTenant();
      const ids: string[] = [];
      for (let i = 0; i < 25; i++)
        ids.push(
          await insertRequest(db(), tenant.id, { created_at: new Date(Date.UTC(2025, 8, 1, 0, i)).toISOString() }),
        );
      const first = await list(tenant);
      expect(first.data.requests).toHaveLength(20);
      expect(first.data.pagination).toEqual({ total: 25, limit: 20, offset: 0, has_more: true });
      expect(first.data.requests[0].request_id).toBe(ids[24]);
      const second = await list(tenant, '?limit=10&offset=20');
      expect(second.data.requests.map((r: Body) => r.request_id)).toEqual(ids.slice(0, 5).reverse());
      expect(second.data.pagination).toEqual({ total: 25, limit: 10, offset: 20, has_more: false });
      const asc = await list(tenant, '?order=asc&limit=3');
      expect(asc.data.requests.map((r: Body) => r.request_id)).toEqual(ids.slice(0, 3));
    });

    it('filters by status and source', async () => {
      const tenant = await newTenant();
      const done = await insertRequest(db(), tenant.id, { status: 'completed', source_type: 'callrail' });
      const failed = await insertRequest(db(), tenant.id, { status: 'failed', source_type: 'callrail' });
      const form = await insertRequest(db(), tenant.id, { status: 'completed', source_type: 'webform' });
      const ids = async (q: string) => (await list(tenant, q)).data.requests.map((r: Body) => r.request_id).sort();
      expect(await ids('?status=completed')).toEqual([done, form].sort());
      expect(await ids('?status=failed')).toEqual([failed]);
      expect(await ids('?source=webform')).toEqual([form]);
      expect(await ids('?status=completed&source=callrail')).toEqual([done]);
      expect(await ids('?status=pending')).toEqual([]);
    });

    it('takes start_date and end_date as whole UTC days, both inclusive', async () => {
      const tenant = await newTenant();
      const at = async (iso: string) => insertRequest(db(), tenant.id, { created_at: iso });
      await at('2025-09-11T23:59:59.999Z');
      const a = await at('2025-09-12T00:00:00.000Z');
      const b = await at('2025-09-13T23:59:59.999Z');
      await at('2025-09-14T00:00:00.000Z');
      const res = await list(tenant, '?start_date=2025-09-12&end_date=2025-09-13');
      expect(res.data.requests.map((r: Body) => r.request_id).sort()).toEqual([a, b].sort());
      expect(
        (await list(tenant, '?start_date=2025-09-13&end_date=2025-09-13')).data.requests.map((r: Body) => r.request_id),
      ).toEqual([b]);
      expect((await list(tenant, '?end_date=2025-09-11')).data.pagination.total).toBe(1);
    });

    it('sorts by processing_time with unfinished requests last in both directions, and by updated_at', async () => {
      const tenant = await newTenant();
      const slow = await insertRequest(db(), tenant.id, {
        processing_time_ms: 9000,
        updated_at: '2025-09-13T10:00:00.000Z',
      });
      const fast = await insertRequest(db(), tenant.id, {
        processing_time_ms: 1000,
        updated_at: '2025-09-13T12:00:00.000Z',
      });
      const running = await insertRequest(db(), tenant.id, {
        status: 'processing',
        processing_time_ms: null,
        updated_at: '2025-09-13T11:00:00.000Z',
      });
      const order = async (q: string) => (await list(tenant, q)).data.requests.map((r: Body) => r.request_id);
      expect(await order('?sort=processing_time&order=asc')).toEqual([fast, slow, running]);
      expect(await order('?sort=processing_time&order=desc')).toEqual([slow, fast, running]);
      expect(await order('?sort=updated_at&order=desc')).toEqual([fast, running, slow]);
    });

    it('shows the latest sync per CRM', async () => {
      const tenant = await newTenant();
      await insertRequest(db(), tenant.id, {
        created_at: '2025-09-13T14:30:00.000Z',
        crm: [
          { crm_type: 'hubspot', status: 'failed', crm_record_id: null, created_at: '2025-09-13T14:31:00.000Z' },
          { crm_type: 'salesforce', status: 'success', crm_record_id: '00Q1', created_at: '2025-09-13T14:31:30.000Z' },
          { crm_type: 'hubspot', status: 'success', crm_record_id: '999', created_at: '2025-09-13T14:32:00.000Z' },
        ],
      });
      const [item] = (await list(tenant)).data.requests;
      expect(item.crm_integrations).toEqual([
        {
          crm_type: 'hubspot',
          crm_record_id: '999',
          status: 'success',
          sync_time_ms: 850,
          last_sync_at: '2025-09-13T14:32:00.000Z',
        },
        {
          crm_type: 'salesforce',
          crm_record_id: '00Q1',
          status: 'success',
          sync_time_ms: 850,
          last_sync_at: '2025-09-13T14:31:30.000Z',
        },
      ]);
    });

    it.each([
      ['limit', '?limit=0'],
      ['limit', '?limit=101'],
      ['limit', '?limit=ten'],
      ['offset', '?offset=-1'],
      ['status', '?status=done'],
      ['source', '?source=fax'],
      ['start_date', '?start_date=2025-02-30'],
      ['start_date', '?start_date=2025-13-45'],
      ['end_date', '?end_date=2025-00-00'],
      ['end_date', '?end_date=13/09/2025'],
      ['sort', '?sort=score'],
      ['order', '?order=up'],
      ['end_date', '?start_date=2025-09-13&end_date=2025-09-12'],
    ])('answers 400 VALIDATION_ERROR naming %s for %s', async (field, query) => {
      const tenant = await newTenant();
      const res = await list(tenant, query);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({
        success: false,
        error: { code: 'VALIDATION_ERROR', trace_id: res.requestId },
        request_id: res.requestId,
      });
      expect(res.body.error.details.field_errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
    });

    it('accepts a JWT and the admin key, refuses no credential, and names an unknown tenant', async () => {
      const tenant = await newTenant();
      await insertRequest(db(), tenant.id);
      expect((await call('GET', `/v1/tenants/${tenant.id}/requests`, await jwt(tenant))).data.pagination.total).toBe(1);
      expect((await call('GET', `/v1/tenants/${tenant.id}/requests`, t.adminHeaders)).data.pagination.total).toBe(1);
      const anonymous = await call('GET', `/v1/tenants/${tenant.id}/requests`, {});
      expect([anonymous.status, anonymous.body.error.code]).toEqual([401, 'UNAUTHORIZED']);
      const unknown = await call('GET', '/v1/tenants/tenant_nobody/requests', t.adminHeaders);
      expect([unknown.status, unknown.body.error.code]).toEqual([404, 'TENANT_NOT_FOUND']);
    });
  });

  describe.skipIf(skip)('GET /v1/tenants/{tenant_id}/requests/{request_id}', () => {
    it('answers the details with processing steps in order, a skip’s reason and a failure’s error', async () => {
      const tenant = await newTenant();
      const id = await insertRequest(db(), tenant.id, {
        created_at: '2025-09-13T14:30:00.000Z',
        status: 'failed',
        error_message: 'CRM integration timeout',
        steps: [
          { step: 'webhook_received', started_at: '2025-09-13T14:30:00.000Z', duration_ms: 50 },
          { step: 'callrail_api_fetch', started_at: '2025-09-13T14:30:01.000Z', duration_ms: 300 },
          { step: 'audio_download', status: 'skipped', reason: 'no recording', started_at: null, duration_ms: null },
          { step: 'ai_analysis', started_at: '2025-09-13T14:30:47.000Z', duration_ms: 3500 },
          {
            step: 'crm_integration',
            status: 'failed',
            error: 'HubSpot answered 503',
            started_at: '2025-09-13T14:30:51.000Z',
            duration_ms: 850,
          },
          { step: 'notification', status: 'pending', started_at: null, duration_ms: null },
        ],
      });
      const res = await call('GET', `/v1/tenants/${tenant.id}/requests/${id}`, key(tenant));
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ success: true, request_id: res.requestId });
      expect(res.data).toMatchObject({
        request_id: id,
        tenant_id: tenant.id,
        source_type: 'callrail',
        external_id: 'CAL123456789',
        status: 'failed',
        created_at: '2025-09-13T14:30:00.000Z',
        error_message: 'CRM integration timeout',
        retry_scheduled: false,
        retry_at: null,
        original_payload: specOriginalPayload,
        enriched_data: specEnrichedData,
        call_data: specCallData,
        ai_analysis: specAiAnalysis,
      });
      expect(res.data.processing_steps).toEqual([
        { step: 'webhook_received', timestamp: '2025-09-13T14:30:00.000Z', duration_ms: 50, status: 'completed' },
        { step: 'callrail_api_fetch', timestamp: '2025-09-13T14:30:01.000Z', duration_ms: 300, status: 'completed' },
        { step: 'audio_download', timestamp: null, duration_ms: null, status: 'skipped', reason: 'no recording' },
        // Never run: a request's steps show in pipeline order, the ones without a record as pending.
        { step: 'speech_to_text', timestamp: null, duration_ms: null, status: 'pending' },
        { step: 'ai_analysis', timestamp: '2025-09-13T14:30:47.000Z', duration_ms: 3500, status: 'completed' },
        {
          step: 'crm_integration',
          timestamp: '2025-09-13T14:30:51.000Z',
          duration_ms: 850,
          status: 'failed',
          error: 'HubSpot answered 503',
        },
        { step: 'notification', timestamp: null, duration_ms: null, status: 'pending' },
      ]);
    });

    it('answers 404 REQUEST_NOT_FOUND for an unknown id', async () => {
      const tenant = await newTenant();
      const res = await call('GET', `/v1/tenants/${tenant.id}/requests/req_missing`, key(tenant));
      expect(res.status).toBe(404);
      expect(res.body).toMatchObject({
        success: false,
        error: { code: 'REQUEST_NOT_FOUND' },
        request_id: res.requestId,
      });
    });
  });

  describe.skipIf(skip)('PATCH /v1/tenants/{tenant_id}/requests/{request_id}', () => {
    const patch = (tenant: Tenant, id: string, payload: unknown, headers: Record<string, string> = key(tenant)) =>
      call('PATCH', `/v1/tenants/${tenant.id}/requests/${id}`, headers, payload);

    it('changes status and error message, answers the details and writes the audit log', async () => {
      const tenant = await newTenant();
      const id = await insertRequest(db(), tenant.id, { status: 'processing', processing_time_ms: null });
      const res = await patch(tenant, id, { status: 'failed', error_message: 'CRM integration timeout' });
      expect(res.status).toBe(200);
      expect(res.data).toMatchObject({
        request_id: id,
        status: 'failed',
        error_message: 'CRM integration timeout',
        retry_scheduled: false,
      });
      const row = await db()
        .selectFrom('ingestion_requests')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      expect([row.status, row.error_message]).toEqual(['failed', 'CRM integration timeout']);
      expect(row.updated_at > row.created_at).toBe(true);
      const { entries } = await t.deps.services.audit.list(tenant.id, {
        limit: 10,
        offset: 0,
        action: 'ingestion_request.updated',
      });
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({
        actor: { kind: 'tenant-key' },
        target: { type: 'ingestion_request', id },
        before: { status: 'processing', error_message: null },
        after: { status: 'failed', error_message: 'CRM integration timeout' },
        request_id: res.requestId,
      });
    });

    it('scheduled retry: queues the first unfinished step at retry_at', async () => {
      const tenant = await newTenant();
      const id = await insertRequest(db(), tenant.id, {
        status: 'failed',
        steps: [
          { step: 'webhook_received' },
          { step: 'callrail_api_fetch', status: 'skipped', reason: 'no CallRail API key' },
          { step: 'audio_download', status: 'skipped', reason: 'no recording' },
          { step: 'speech_to_text', status: 'skipped', reason: 'no audio' },
          { step: 'ai_analysis' },
          { step: 'crm_integration', status: 'failed', error: 'timeout' },
        ],
      });
      const retryAt = new Date(Date.now() + 3_600_000).toISOString();
      const res = await patch(tenant, id, {
        status: 'failed',
        error_message: 'CRM integration timeout',
        retry_scheduled: true,
        retry_at: retryAt,
      });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.data).toMatchObject({ retry_scheduled: true, retry_at: retryAt });
      const jobs = await db()
        .selectFrom('jobs')
        .selectAll()
        .where('tenant_id', '=', tenant.id)
        .where('type', '=', 'ingest.step')
        .execute();
      expect(jobs).toHaveLength(1);
      expect(Math.abs(new Date(jobs[0]!.run_at).getTime() - new Date(retryAt).getTime())).toBeLessThan(2000);
      expect(JSON.parse(jobs[0]!.payload)).toMatchObject({
        tenantId: tenant.id,
        requestId: id,
        step: 'crm_integration',
      });
    });

    it('refuses spec A’s retry body on a completed request with 409, changing nothing', async () => {
      const tenant = await newTenant();
      const id = await insertRequest(db(), tenant.id);
      const before = await call('GET', `/v1/tenants/${tenant.id}/requests/${id}`, key(tenant));
      const res = await patch(tenant, id, {
        status: 'failed',
        error_message: 'CRM integration timeout',
        retry_scheduled: true,
        retry_at: new Date(Date.now() + 3_600_000).toISOString(),
      });
      expect([res.status, res.body.error.code]).toEqual([409, 'CONFLICT']);
      expect(res.body.error.message).toMatch(/no step left to run.*nothing to retry/);
      const after = await call('GET', `/v1/tenants/${tenant.id}/requests/${id}`, key(tenant));
      expect(after.data).toEqual(before.data);
      const jobs = await db().selectFrom('jobs').select('id').where('tenant_id', '=', tenant.id).execute();
      expect(jobs).toEqual([]);
      const marked = await patch(tenant, id, { status: 'failed', error_message: 'CRM integration timeout' });
      expect([marked.status, marked.data.status]).toEqual([200, 'failed']);
    });

    it.each([
      ['body', {}],
      ['body', { priority: 'high' }],
      ['status', { status: 'done' }],
      ['retry_at', { retry_scheduled: true, retry_at: 'tomorrow' }],
      ['retry_scheduled', { retry_scheduled: 'yes' }],
      ['retry_at', { retry_scheduled: false, retry_at: '2025-09-13T15:00:00Z' }],
    ])('answers 400 VALIDATION_ERROR naming %s for %j', async (field, payload) => {
      const tenant = await newTenant();
      const id = await insertRequest(db(), tenant.id);
      const res = await patch(tenant, id, payload);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_ERROR');
      expect(res.body.error.details.field_errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
    });

    it('needs the write scope: a read-only JWT is refused, a read-write JWT and the admin key are not', async () => {
      const tenant = await newTenant();
      const id = await insertRequest(db(), tenant.id);
      const readOnly = await patch(tenant, id, { status: 'failed' }, await jwt(tenant, 'read'));
      expect([readOnly.status, readOnly.body.error.code]).toEqual([403, 'FORBIDDEN']);
      expect((await call('GET', `/v1/tenants/${tenant.id}/requests/${id}`, await jwt(tenant, 'read'))).status).toBe(
        200,
      );
      expect((await patch(tenant, id, { status: 'failed' }, await jwt(tenant, 'read write'))).status).toBe(200);
      const admin = await patch(tenant, id, { status: 'completed' }, t.adminHeaders);
      expect([admin.status, admin.data.status]).toEqual([200, 'completed']);
    });

    it('answers 404 REQUEST_NOT_FOUND for an unknown id', async () => {
      const tenant = await newTenant();
      const res = await patch(tenant, 'req_missing', { status: 'failed' });
      expect([res.status, res.body.error.code]).toEqual([404, 'REQUEST_NOT_FOUND']);
    });
  });

  describe.skipIf(skip)('tenant isolation', () => {
    const createObject = (app: TestApp, owner: Tenant) => insertRequest(app.deps.database.db, owner.id);
    itIsolatesTenants(
      () => t,
      [
        { method: 'GET', path: '/v1/tenants/:tenant/requests' },
        { method: 'GET', path: '/v1/tenants/:tenant/requests/:object', createObject },
        { method: 'PATCH', path: '/v1/tenants/:tenant/requests/:object', payload: { status: 'failed' }, createObject },
      ],
    );
  });
});
