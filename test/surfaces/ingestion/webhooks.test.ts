import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as pipelineRepo from '../../helpers/call-rows.js';
import { signCallRail, signTimestamped } from '../../../src/channels/callrail.js';
import { fromJson } from '../../../src/store/json.js';
import { startTestApp, type TestApp } from '../../helpers/app.js';
import { hasAudioTools, makeSpeechWav } from '../../helpers/audio.js';
import { dialects } from '../../helpers/db.js';
import { waitFor } from '../../helpers/queue.js';
import { startCallRailFake, type CallRailFake } from '../../fakes/callrail.fake.js';
import { hubspotError, startHubSpotFake, type HubSpotFake } from '../../fakes/hubspot.fake.js';

type Tenant = Awaited<ReturnType<TestApp['createTenant']>>;
/** JSON as the API answered it. */
type Body = ReturnType<typeof JSON.parse>;

const HUBSPOT_TOKEN = 'pat-na1-ingest';
const SIGNING_KEY = 'callrail-company-signing-key';
const audioTools = await hasAudioTools();

let sequence = 0;
const callId = () => `CAL${Date.now()}${(sequence += 1)}`;

for (const { dialect, label, skip } of dialects) {
  describe.skipIf(skip)(`spec A webhooks and pipeline on ${label}`, () => {
    let t: TestApp;
    let callrail: CallRailFake;
    let hubspot: HubSpotFake;

    beforeAll(async () => {
      t = await startTestApp({ dialect });
      await t.startWorkers();
      callrail = await startCallRailFake({ apiKey: 'cr_api_key_test' });
      hubspot = await startHubSpotFake({ accessToken: HUBSPOT_TOKEN });
    });
    afterAll(async () => {
      await t.close();
      await callrail.close();
      await hubspot.close();
    });

    let companies = 1000;
    const createTenant = (configuration: Record<string, unknown> = {}) => {
      companies += 1;
      return t.createTenant({
        plan: 'enterprise',
        configuration: { callrail_company_id: String(companies), ...configuration },
      });
    };
    const withCrm = (extra: Record<string, unknown> = {}) =>
      createTenant({
        callrail: {
          account_id: 'ACC100',
          api_key: callrail.apiKey,
          api_base_url: callrail.url,
          signing_secret: SIGNING_KEY,
        },
        crm_config: { provider: 'hubspot', hubspot_access_token: HUBSPOT_TOKEN, hubspot_base_url: hubspot.url },
        ...extra,
      });

    const post = (body: object, headers: Record<string, string>, raw?: string) =>
      t.app.inject({
        method: 'POST',
        url: '/v1/callrail/webhook',
        headers: { 'content-type': 'application/json', ...headers },
        payload: raw ?? JSON.stringify(body),
      });
    const signed = (tenant: Tenant, body: object, opts: { timestamp?: number; secret?: string } = {}) => {
      const raw = JSON.stringify(body);
      const timestamp = opts.timestamp ?? Math.floor(Date.now() / 1000);
      return post(
        body,
        {
          'x-timestamp': String(timestamp),
          'x-callrail-signature': signTimestamped(opts.secret ?? tenant.credentials.webhook_secret, timestamp, raw),
        },
        raw,
      );
    };
    const settled = (tenantId: string, requestId: string) =>
      waitFor(async () => {
        const row = await pipelineRepo.findRequest(t.deps.database.db, tenantId, requestId);
        return row && (row.status === 'completed' || row.status === 'failed') ? row : undefined;
      }, 60_000);
    const stepsOf = async (tenantId: string, requestId: string) => {
      const row = await pipelineRepo.findRequest(t.deps.database.db, tenantId, requestId);
      return row ? pipelineRepo.listSteps(t.deps.database.db, row) : [];
    };

    describe('POST /v1/callrail/webhook (spec A signature)', () => {
      it('counts verified calls against the tenant’s webhook limit, with the rate-limit headers', async () => {
        const tenant = await createTenant({ rate_limits: { classes: { webhooks: { hour: 3 } } } });
        const responses = [];
        for (let i = 0; i < 5; i += 1) {
          responses.push(await signed(tenant, { call_id: callId(), tenant_id: tenant.id, caller_id: '+15551234567' }));
        }
        expect(responses.map((r) => r.statusCode)).toEqual([200, 200, 200, 429, 429]);
        const refused = responses[4]!;
        expect(refused.headers['x-ratelimit-limit']).toBeDefined();
        expect(refused.headers['retry-after']).toBeDefined();
        expect(refused.json()).toMatchObject({ success: false, error: { code: 'RATE_LIMIT_EXCEEDED' } });
        // A forged call names the tenant but spends nothing of its budget: it is refused before counting.
        const other = await createTenant({ rate_limits: { classes: { webhooks: { hour: 1 } } } });
        const forged = await signed(other, { call_id: callId(), tenant_id: other.id }, { secret: 'not-the-secret' });
        expect(forged.statusCode).toBe(401);
        const real = await signed(other, { call_id: callId(), tenant_id: other.id, caller_id: '+15551234567' });
        expect(real.statusCode, real.body).toBe(200);
      });

      it('stores the call before answering 200 in spec A’s shape', async () => {
        const tenant = await createTenant();
        const id = callId();
        const res = await signed(tenant, {
          call_id: id,
          tenant_id: tenant.id,
          caller_id: '+15551234567',
          duration: '180',
        });
        expect(res.statusCode, res.body).toBe(200);
        const body: Body = res.json();
        expect(body).toEqual({
          success: true,
          request_id: expect.stringMatching(/^req_/),
          processing_time_ms: expect.any(Number),
          message: 'Call queued for processing',
          estimated_completion: expect.any(String),
        });
        const row = await pipelineRepo.findRequest(t.deps.database.db, tenant.id, body.request_id);
        expect(row).toMatchObject({ source_type: 'callrail', external_id: id });
        expect(fromJson<Body>(row!.call_data, {})).toMatchObject({
          call_id: id,
          caller_phone: '+15551234567',
          duration: 180,
        });
        expect(new Date(body.estimated_completion).getTime()).toBeGreaterThan(Date.now() - 1000);
      });

      it('answers the same call again with the first request_id and duplicate: true, processing it once', async () => {
        const tenant = await createTenant();
        const payload = { call_id: callId(), tenant_id: tenant.id };
        const first: Body = (await signed(tenant, payload)).json();
        const second: Body = (await signed(tenant, payload)).json();
        expect(second).toMatchObject({ request_id: first.request_id, duplicate: true });
        await settled(tenant.id, first.request_id);
        const rows = await t.deps.database.db
          .selectFrom('ingestion_requests')
          .select('id')
          .where('tenant_id', '=', tenant.id)
          .execute();
        expect(rows).toHaveLength(1);
        const jobs = await t.deps.database.db
          .selectFrom('jobs')
          .select('payload')
          .where('tenant_id', '=', tenant.id)
          .where('type', '=', 'ingest.step')
          .execute();
        const aiJobs = jobs.filter((j) => String(j.payload).includes('"ai_analysis"'));
        expect(aiJobs).toHaveLength(1);
      });

      it.each([
        ['a wrong secret', { secret: 'not-the-secret' }],
        ['a timestamp six minutes old', { timestamp: Math.floor(Date.now() / 1000) - 360 }],
        ['a timestamp six minutes ahead', { timestamp: Math.floor(Date.now() / 1000) + 360 }],
      ])('answers 401 INVALID_SIGNATURE for %s', async (_label, opts) => {
        const tenant = await createTenant();
        const res = await signed(tenant, { call_id: callId(), tenant_id: tenant.id }, opts);
        expect(res.statusCode).toBe(401);
        expect(res.json<Body>()).toMatchObject({
          success: false,
          error: {
            code: 'INVALID_SIGNATURE',
            message: 'Webhook signature verification failed',
            timestamp: expect.any(String),
          },
        });
      });

      it('answers 401 when the signature headers are missing, and 401 when the body was changed after signing', async () => {
        const tenant = await createTenant();
        const missing = await post({ call_id: callId(), tenant_id: tenant.id }, {});
        expect(missing.statusCode).toBe(401);
        const timestamp = Math.floor(Date.now() / 1000);
        const original = JSON.stringify({ call_id: 'CAL1', tenant_id: tenant.id });
        const changed = JSON.stringify({ call_id: 'CAL2', tenant_id: tenant.id });
        const res = await post(
          {},
          {
            'x-timestamp': String(timestamp),
            'x-callrail-signature': signTimestamped(tenant.credentials.webhook_secret, timestamp, original),
          },
          changed,
        );
        expect(res.statusCode).toBe(401);
      });

      it('answers 400 VALIDATION_ERROR with field_errors for a missing call_id and a malformed tenant_id', async () => {
        const res = await post({ tenant_id: 'bad id!' }, { 'x-timestamp': '1', 'x-callrail-signature': 'sha256=00' });
        expect(res.statusCode, res.body).toBe(400);
        const error = res.json<Body>().error;
        expect(error.code).toBe('VALIDATION_ERROR');
        expect(error.details.field_errors).toEqual(
          expect.arrayContaining([
            { field: 'call_id', issue: 'required field missing' },
            { field: 'tenant_id', issue: 'invalid format - must be alphanumeric' },
          ]),
        );
      });

      it('answers 404 TENANT_NOT_FOUND for an unknown tenant', async () => {
        const res = await post(
          { call_id: callId(), tenant_id: 'no_such_tenant' },
          { 'x-timestamp': String(Math.floor(Date.now() / 1000)), 'x-callrail-signature': `sha256=${'0'.repeat(64)}` },
        );
        expect(res.statusCode).toBe(404);
        expect(res.json<Body>().error.code).toBe('TENANT_NOT_FOUND');
      });
    });

    describe('CallRail’s own webhook format', () => {
      const nativeCall = (id: string, company: string) => ({
        resource_id: id,
        company_resource_id: `COM${company}`,
        company_id: Number(company),
        customer_phone_number: '+15125550142',
        customer_name: 'Pat Jones',
        duration: 95,
        answered: true,
        tracking_phone_number: '+15125550100',
      });

      it('finds the tenant by its CallRail company and checks CallRail’s Signature (base64 HMAC-SHA1)', async () => {
        const tenant = await withCrm();
        const company = String(companies);
        const body = nativeCall(callId(), company);
        const raw = JSON.stringify(body);
        const res = await post(body, { signature: signCallRail(SIGNING_KEY, raw) }, raw);
        expect(res.statusCode, res.body).toBe(200);
        const row = await pipelineRepo.findRequest(t.deps.database.db, tenant.id, res.json<Body>().request_id);
        expect(row?.external_id).toBe(body.resource_id);

        const forged = await post(body, { signature: signCallRail('wrong-key', raw) }, raw);
        expect(forged.statusCode).toBe(401);
      });

      it('refuses CallRail’s format when the tenant accepts only spec A’s signature, and vice versa', async () => {
        const specOnly = await withCrm({
          callrail: { account_id: 'ACC100', signing_secret: SIGNING_KEY, signature_scheme: 'spec_hmac_sha256' },
        });
        const body = nativeCall(callId(), String(companies));
        const raw = JSON.stringify(body);
        expect((await post(body, { signature: signCallRail(SIGNING_KEY, raw) }, raw)).statusCode).toBe(401);
        const nativeOnly = await createTenant({ callrail: { signature_scheme: 'callrail_signature' } });
        expect((await signed(nativeOnly, { call_id: callId(), tenant_id: nativeOnly.id })).statusCode).toBe(401);
        expect(specOnly.id).not.toBe(nativeOnly.id);
      });

      it('answers 404 TENANT_NOT_FOUND for a company no tenant holds', async () => {
        const body = nativeCall(callId(), '987654321');
        const raw = JSON.stringify(body);
        const res = await post(body, { signature: signCallRail(SIGNING_KEY, raw) }, raw);
        expect(res.statusCode).toBe(404);
        expect(res.json<Body>().error.code).toBe('TENANT_NOT_FOUND');
      });
    });

    describe('POST /v1/leads/webhook', () => {
      const lead = {
        source: 'website_form',
        customer_name: 'Jane Doe',
        customer_phone: '+15551234567',
        customer_email: 'jane@example.com',
        project_type: 'kitchen_remodel',
        project_description:
          'Looking to remodel kitchen, approximately 200 sq ft, budget around $30,000, want to start within 3 months',
        budget_range: '25000-50000',
        timeline: '3-6_months',
        contact_preferences: ['phone', 'email'],
      };
      const send = (tenant: Tenant, body: object, headers: Record<string, string> = {}) =>
        t.app.inject({
          method: 'POST',
          url: '/v1/leads/webhook',
          headers: { 'x-api-key': tenant.apiKey, ...headers },
          payload: body,
        });

      it('accepts a form lead, runs every step and records why each skipped step was skipped', async () => {
        const tenant = await createTenant();
        const res = await send(tenant, { tenant_id: tenant.id, ...lead });
        expect(res.statusCode, res.body).toBe(200);
        const requestId = res.json<Body>().request_id as string;
        const done = await settled(tenant.id, requestId);
        expect(done.status).toBe('completed');
        expect(done.source_type).toBe('webform');
        const steps = await stepsOf(tenant.id, requestId);
        expect(steps.map((s) => [s.step, s.status])).toEqual([
          ['webhook_received', 'completed'],
          ['callrail_api_fetch', 'skipped'],
          ['audio_download', 'skipped'],
          ['speech_to_text', 'skipped'],
          ['ai_analysis', 'completed'],
          ['crm_integration', 'skipped'],
          ['notification', 'skipped'],
        ]);
        for (const s of steps.filter((x) => x.status === 'skipped')) expect(s.reason).toBeTruthy();
        const analysis = fromJson<Body>(done.ai_analysis, {});
        expect(analysis).toMatchObject({
          intent: expect.any(String),
          lead_score: expect.any(Number),
          confidence: expect.any(Number),
          project_details: { type: expect.any(String) },
        });
        expect(fromJson<Body>(done.enriched_data, {}).ai_analysis).toMatchObject({
          reasoning: expect.any(String),
          extracted_entities: { square_footage: '200' },
          next_actions: expect.any(Array),
        });
        expect(done.lead_id).toMatch(/^lead_/);
      });

      it('spends the webhook budget (1,000 an hour, burst 50), apart from the management budget', async () => {
        const tenant = await createTenant();
        const res = await send(tenant, { tenant_id: tenant.id, ...lead });
        expect(res.statusCode, res.body).toBe(200);
        expect(res.headers).toMatchObject({
          'x-ratelimit-limit': '1000',
          'x-ratelimit-remaining': '999',
          'x-ratelimit-window': '3600',
        });
        const list = await t.app.inject({
          url: `/v1/tenants/${tenant.id}/requests`,
          headers: { 'x-api-key': tenant.apiKey },
        });
        expect(list.headers).toMatchObject({ 'x-ratelimit-limit': '500', 'x-ratelimit-remaining': '499' });
      });

      it('sends the X-RateLimit-* headers on responses that spent no budget, the CallRail webhook’s included', async () => {
        const tenant = await createTenant();
        const unsigned = await post({ call_id: callId(), tenant_id: tenant.id }, {});
        const forged = await signed(tenant, { call_id: callId(), tenant_id: tenant.id }, { secret: 'not-the-secret' });
        const anonymous = await t.app.inject({ method: 'POST', url: '/v1/leads/webhook', payload: lead });
        for (const res of [unsigned, forged, anonymous]) {
          expect(res.statusCode).toBe(401);
          expect(res.headers).toMatchObject({ 'x-ratelimit-limit': '1000', 'x-ratelimit-window': '3600' });
          expect(Number(res.headers['x-ratelimit-reset'])).toBeGreaterThan(Date.now() / 1000);
        }
        const management = await t.app.inject({ url: `/v1/tenants/${tenant.id}/requests` });
        expect([management.statusCode, management.headers['x-ratelimit-limit']]).toEqual([401, '500']);
        const call = await signed(tenant, { call_id: callId(), tenant_id: tenant.id, caller_id: '+15551234567' });
        expect(call.headers).toMatchObject({ 'x-ratelimit-limit': '1000', 'x-ratelimit-remaining': '999' });
      });

      it('records each processed request’s time in /v1/health and /v1/metrics', async () => {
        const tenant = await createTenant();
        const res = await send(tenant, { tenant_id: tenant.id, ...lead });
        expect((await settled(tenant.id, res.json<Body>().request_id as string)).status).toBe('completed');
        const health: Body = (await t.app.inject({ url: '/v1/health' })).json();
        expect(health.metrics.average_processing_time_ms).toEqual(expect.any(Number));
        const { data }: Body = (await t.app.inject({ url: '/v1/metrics?metrics=performance' })).json();
        for (const p of ['p50', 'p95', 'p99'])
          expect(data.metrics.performance[`${p}_processing_time_ms`]).toEqual(expect.any(Number));
      });

      it('returns the first request for a repeated Idempotency-Key', async () => {
        const tenant = await createTenant();
        const first: Body = (await send(tenant, lead, { 'idempotency-key': 'form-42' })).json();
        const second: Body = (await send(tenant, lead, { 'idempotency-key': 'form-42' })).json();
        expect(second).toMatchObject({ request_id: first.request_id, duplicate: true });
      });

      it('answers the same key with the same body, in any key order, with the first request, and refuses it with another body (409 naming the key)', async () => {
        const tenant = await createTenant();
        const first: Body = (await send(tenant, lead, { 'idempotency-key': 'form-43' })).json();
        const reordered = Object.fromEntries(Object.entries(lead).reverse());
        expect((await send(tenant, reordered, { 'idempotency-key': 'form-43' })).json()).toMatchObject({
          request_id: first.request_id,
          duplicate: true,
        });
        const other = await send(tenant, { ...lead, customer_name: 'Someone Else' }, { 'idempotency-key': 'form-43' });
        expect(other.statusCode, other.body).toBe(409);
        expect(other.json()).toMatchObject({
          success: false,
          error: {
            code: 'CONFLICT',
            message: expect.stringContaining("Idempotency-Key 'form-43' was already used"),
            details: { idempotency_key: 'form-43', request_id: first.request_id },
          },
        });
        const rows = await t.deps.database.db
          .selectFrom('ingestion_requests')
          .select('id')
          .where('tenant_id', '=', tenant.id)
          .execute();
        expect(rows).toHaveLength(1);
      });

      it('caps the text a lead may carry: 10,000 characters a custom field, 20,000 anywhere else, naming the field', async () => {
        const tenant = await createTenant();
        const cases: [string, Record<string, unknown>][] = [
          ['custom_fields.note', { ...lead, custom_fields: { note: 'x'.repeat(10_001) } }],
          ['custom_fields.nested.1', { ...lead, custom_fields: { nested: ['ok', 'y'.repeat(10_001)] } }],
          ['referrer_notes', { ...lead, referrer_notes: 'z'.repeat(20_001) }],
        ];
        for (const [field, body] of cases) {
          const res = await send(tenant, body);
          expect(res.statusCode, res.body.slice(0, 200)).toBe(400);
          expect(res.json<Body>().error.details.field_errors).toContainEqual({
            field,
            issue: expect.stringContaining('at most'),
          });
        }
        const within = await send(tenant, {
          ...lead,
          custom_fields: { note: 'x'.repeat(10_000) },
          referrer_notes: 'z'.repeat(20_000),
        });
        expect(within.statusCode, within.body.slice(0, 200)).toBe(200);
      });

      it.each([
        ['customer_phone', { ...lead, customer_phone: '555-1234' }],
        ['customer_email', { ...lead, customer_email: 'nope' }],
        ['timeline', { ...lead, timeline: 'someday' }],
      ])('answers 400 naming %s', async (field, body) => {
        const tenant = await createTenant();
        const res = await send(tenant, body);
        expect(res.statusCode, res.body).toBe(400);
        expect(res.json<Body>().error.details.field_errors.map((f: Body) => f.field)).toContain(field);
      });

      it('answers 401 without an API key and 403 for another tenant’s tenant_id', async () => {
        const tenant = await createTenant();
        const other = await createTenant();
        expect((await t.app.inject({ method: 'POST', url: '/v1/leads/webhook', payload: lead })).statusCode).toBe(401);
        const res = await send(tenant, { ...lead, tenant_id: other.id });
        expect(res.statusCode).toBe(403);
        const rows = await t.deps.database.db
          .selectFrom('ingestion_requests')
          .select('id')
          .where('tenant_id', 'in', [tenant.id, other.id])
          .execute();
        expect(rows).toHaveLength(0);
      });
    });

    describe('a step that takes a while', () => {
      it('is marked running, with its attempt and start time, while it is still going', async () => {
        const tenant = await withCrm();
        hubspot.stallNext();
        const res = await t.app.inject({
          method: 'POST',
          url: '/v1/leads/webhook',
          headers: { 'x-api-key': tenant.apiKey },
          payload: {
            customer_name: 'Lee Park',
            customer_email: `lee${sequence}@parkhomes.com`,
            project_description: 'Gutters, soon',
          },
        });
        const requestId = res.json<Body>().request_id as string;
        // HubSpot never answers: the CRM step outlives RUNNING_MARK_MS, so its row says so.
        const crmStep = await waitFor(
          async () =>
            (await stepsOf(tenant.id, requestId)).find((s) => s.step === 'crm_integration' && s.status === 'running'),
          10_000,
        );
        expect(crmStep).toMatchObject({ attempts: 1, started_at: expect.any(String), duration_ms: null });
        const steps = await stepsOf(tenant.id, requestId);
        expect(steps.find((s) => s.step === 'ai_analysis')).toMatchObject({
          status: 'completed',
          attempts: 1,
          started_at: expect.any(String),
        });
      });
    });

    describe('CRM step failures', () => {
      it('fails the request with CRM_INTEGRATION_ERROR on a rejected token, and a scheduled retry resumes at that step only', async () => {
        const tenant = await withCrm();
        const res = await t.app.inject({
          method: 'POST',
          url: '/v1/leads/webhook',
          headers: { 'x-api-key': tenant.apiKey },
          payload: {
            customer_name: 'Sam Reed',
            customer_email: `sam${sequence}@reedhomes.com`,
            project_description: 'New roof, budget $20k, this month',
          },
        });
        const requestId = res.json<Body>().request_id as string;
        hubspot.failNext(401, hubspotError('Authentication credentials not found.', 'INVALID_AUTHENTICATION'));
        const failed = await settled(tenant.id, requestId);
        expect(failed.status).toBe('failed');
        expect(failed.error_message).toContain('CRM_INTEGRATION_ERROR');
        expect(failed.error_message).toContain('Authentication credentials not found.');
        const crmStep = (await stepsOf(tenant.id, requestId)).find((s) => s.step === 'crm_integration');
        expect(crmStep).toMatchObject({ status: 'failed', error: expect.stringContaining('CRM_INTEGRATION_ERROR') });
        // The owner is told of the failed request (docs/api/app.md, "People told").
        const notices = await t.deps.database.db
          .selectFrom('jobs')
          .select('payload')
          .where('tenant_id', '=', tenant.id)
          .where('type', '=', 'notify.owner')
          .execute();
        expect(notices.map((n) => JSON.parse(n.payload) as { event: Record<string, unknown> })).toEqual([
          {
            tenantId: tenant.id,
            event: {
              kind: 'pipeline_failed',
              requestId,
              step: 'crm_integration',
              error: expect.stringContaining('CRM_INTEGRATION_ERROR'),
            },
          },
        ]);

        await t.deps.services.ingestionPipeline.scheduleRetry(tenant.id, requestId, new Date());
        const retried = await waitFor(async () => {
          const row = await pipelineRepo.findRequest(t.deps.database.db, tenant.id, requestId);
          return row?.status === 'completed' ? row : undefined;
        }, 30_000);
        expect(retried.error_message).toBeNull();
        const steps = await stepsOf(tenant.id, requestId);
        expect(steps.find((s) => s.step === 'ai_analysis')?.attempts).toBe(1);
        expect(steps.find((s) => s.step === 'crm_integration')).toMatchObject({ status: 'completed', attempts: 2 });
        const syncs = await t.deps.database.db
          .selectFrom('crm_syncs')
          .select(['status', 'request_id'])
          .where('tenant_id', '=', tenant.id)
          .orderBy('created_at')
          .execute();
        expect(syncs.map((s) => s.status)).toEqual(['failed', 'success']);
        expect(syncs.every((s) => s.request_id === requestId)).toBe(true);
      });
    });

    describe.skipIf(!audioTools.available)(`end to end with real audio ${audioTools.reason}`, () => {
      it('signed webhook → CallRail API → WAV recording → pocketsphinx → analysis → HubSpot → completed', async () => {
        const tenant = await withCrm({ notification_config: { high_value_threshold: 100 } });
        const id = callId();
        callrail.addCall('ACC100', {
          id,
          customer_name: 'Chris Walker',
          customer_phone_number: '+15125550177',
          customer_city: 'Austin',
          customer_state: 'TX',
          duration: 42,
          answered: true,
          source: 'Google Ads',
          campaign: 'Roofing - Austin',
          keywords: 'roof repair, austin',
          gclid: 'gclid-123',
          recording: `${callrail.url}/v3/a/ACC100/calls/${id}/recording.json`,
        });
        callrail.setRecording(
          id,
          await makeSpeechWav(
            'Hello. I need a new roof on my house. My budget is fifteen thousand dollars. Please call me back this week.',
          ),
          { contentType: 'audio/wav' },
        );

        const res = await signed(tenant, { call_id: id, tenant_id: tenant.id, caller_id: '+15125550177' });
        expect(res.statusCode, res.body).toBe(200);
        const requestId = res.json<Body>().request_id as string;
        const done = await settled(tenant.id, requestId);
        const steps = await stepsOf(tenant.id, requestId);
        expect(
          steps.map((s) => [s.step, s.status]),
          JSON.stringify(steps),
        ).toEqual([
          ['webhook_received', 'completed'],
          ['callrail_api_fetch', 'completed'],
          ['audio_download', 'completed'],
          ['speech_to_text', 'completed'],
          ['ai_analysis', 'completed'],
          ['crm_integration', 'completed'],
          ['notification', 'skipped'],
        ]);
        expect(done.status).toBe('completed');
        for (const s of steps) expect(s.duration_ms).toBeGreaterThanOrEqual(0);

        const callData = fromJson<Body>(done.call_data, {});
        expect(callData.recording_url).toMatch(/^file:\/\//);
        const enriched = fromJson<Body>(done.enriched_data, {});
        expect(enriched.callrail_details).toMatchObject({
          caller_name: 'Chris Walker',
          caller_location: 'Austin, TX',
          campaign: 'Roofing - Austin',
          gclid: 'gclid-123',
        });
        expect(enriched.audio_analysis.provider).toBe('pocketsphinx');
        expect(enriched.audio_analysis.transcript.toLowerCase()).toMatch(/roof|house|budget|thousand|dollars/);
        expect(enriched.audio_analysis.speaker_segments.length).toBeGreaterThan(0);
        expect(enriched.ai_analysis.lead_score).toBe(done.lead_score);

        const contacts = [...hubspot.contacts.values()].filter((c) => c.properties.phone === '+15125550177');
        expect(contacts).toHaveLength(1);
      }, 90_000);
    });
  });
}
