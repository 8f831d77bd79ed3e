import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WEBHOOK_SETTINGS_TTL_MS } from '../../../src/domain/inbound/index.js';
import type { Clock } from '../../../src/lib/clock.js';
import { signCallRail, signTimestamped } from '../../../src/channels/callrail.js';
import { startTestApp, type TestApp } from '../../helpers/app.js';
import { dialects } from '../../helpers/db.js';
import { insertRequest } from '../../helpers/ingestion-fixtures.js';
import * as pipelineRepo from '../../helpers/call-rows.js';
import { PIPELINE_STEPS } from '../../../src/domain/calls/index.js';
import type { JobContext } from '../../../src/queue/queue.js';

type Tenant = Awaited<ReturnType<TestApp['createTenant']>>;

let sequence = 0;
const callId = () => `CALACK${Date.now()}${(sequence += 1)}`;

for (const { dialect, label, skip } of dialects) {
  describe.skipIf(skip)(`spec A webhook acknowledgement on ${label}`, () => {
    let t: TestApp;
    // Moved forward by hand to step past the settings cache without sleeping.
    let offsetMs = 0;
    const clock: Clock = { now: () => new Date(Date.now() + offsetMs) };

    // Neither the workers nor the relay run: what the 200 promises must already be in the store.
    beforeAll(async () => {
      t = await startTestApp({ dialect, clock });
    });
    afterAll(async () => {
      await t.close();
    });

    /** `body` as an object is sent as its JSON; as a string, byte for byte. */
    const signed = (
      tenant: Tenant,
      secret: string,
      body: object | string = { call_id: callId(), tenant_id: tenant.id },
    ) => {
      const raw = typeof body === 'string' ? body : JSON.stringify(body);
      const timestamp = Math.floor(Date.now() / 1000);
      return t.app.inject({
        method: 'POST',
        url: '/v1/callrail/webhook',
        headers: {
          'content-type': 'application/json',
          'x-timestamp': String(timestamp),
          'x-callrail-signature': signTimestamped(secret, timestamp, raw),
        },
        payload: raw,
      });
    };
    const native = (secret: string, companyId: string) => {
      const raw = JSON.stringify({
        resource_id: callId(),
        company_id: companyId,
        customer_phone_number: '+15551230000',
      });
      return t.app.inject({
        method: 'POST',
        url: '/v1/callrail/webhook',
        headers: { 'content-type': 'application/json', signature: signCallRail(secret, raw) },
        payload: raw,
      });
    };
    const passTtl = () => (offsetMs += WEBHOOK_SETTINGS_TTL_MS + 1);

    it('has the request stored when the 200 goes out, its steps read as received and pending; the relay queues its first step once', async () => {
      const tenant = await t.createTenant({ plan: 'enterprise' });
      const res = await signed(tenant, tenant.credentials.webhook_secret);
      expect(res.statusCode, res.body).toBe(200);
      const requestId = res.json<{ request_id: string }>().request_id;
      const db = t.deps.database.db;
      const request = await pipelineRepo.findRequest(db, tenant.id, requestId);
      expect(request).toMatchObject({ status: 'pending', queued_at: null });
      const steps = await pipelineRepo.listSteps(db, request!);
      expect(steps.map((s) => [s.step, s.status])).toEqual([
        ['webhook_received', 'completed'],
        ...PIPELINE_STEPS.map((step) => [step, 'pending']),
      ]);
      expect(steps[0]).toMatchObject({ started_at: request!.created_at, duration_ms: request!.ack_ms });
      const stepJobs = () =>
        db
          .selectFrom('jobs')
          .select(['payload', 'status'])
          .where('tenant_id', '=', tenant.id)
          .where('type', '=', 'ingest.step')
          .execute();
      // The acknowledgement writes the request alone; its job comes from the relay.
      expect(await stepJobs()).toEqual([]);

      const again = await signed(tenant, tenant.credentials.webhook_secret, {
        call_id: 'CALACKSAME',
        tenant_id: tenant.id,
      });
      const repeat = await signed(tenant, tenant.credentials.webhook_secret, {
        call_id: 'CALACKSAME',
        tenant_id: tenant.id,
      });
      expect(repeat.json()).toMatchObject({
        request_id: again.json<{ request_id: string }>().request_id,
        duplicate: true,
      });

      // Other tenants' waiting requests (earlier tests) may share a pass; this tenant's two are among them.
      while ((await t.deps.services.ingestionPipeline.queueStored(100)) > 0);
      const jobs = await stepJobs();
      expect(jobs).toHaveLength(2);
      expect(
        jobs.map((j) => JSON.parse(String(j.payload)) as { requestId: string }).find((p) => p.requestId === requestId),
      ).toEqual({ tenantId: tenant.id, requestId, step: 'callrail_api_fetch', generation: 0 });
      expect((await pipelineRepo.findRequest(db, tenant.id, requestId))?.queued_at).toEqual(expect.any(String));
      // Nothing is left for a second pass, and the same requests are never queued twice.
      expect(await t.deps.services.ingestionPipeline.queueStored(100)).toBe(0);
      expect(await stepJobs()).toHaveLength(2);
    });

    it('accepts a rotated webhook secret at once and, with no grace window, refuses the old one once the settings cache has expired', async () => {
      const tenant = await t.createTenant({
        plan: 'enterprise',
        configuration: { security: { webhook_secret_grace_hours: 0 } },
      });
      const old = tenant.credentials.webhook_secret;
      expect((await signed(tenant, old)).statusCode).toBe(200);
      const rotated = await t.app.inject({
        method: 'POST',
        url: `/api/v2/tenants/${tenant.id}/credentials/rotate`,
        headers: t.adminHeaders,
        payload: { credential: 'webhook_secret' },
      });
      expect(rotated.statusCode, rotated.body).toBe(200);
      const fresh = rotated.json<{ data: { value: string } }>().data.value;
      // The new secret is checked against fresh settings when the cached ones refuse it.
      expect((await signed(tenant, fresh)).statusCode).toBe(200);
      passTtl();
      const refused = await signed(tenant, old);
      expect(refused.statusCode).toBe(401);
      expect(refused.json()).toMatchObject({ error: { code: 'INVALID_SIGNATURE' } });
      expect((await signed(tenant, fresh)).statusCode).toBe(200);
    });

    it("reuses the completion estimate for a few seconds, then follows the tenant's recent processing times", async () => {
      const tenant = await t.createTenant({ plan: 'enterprise' });
      const estimateMs = async () => {
        const body = (await signed(tenant, tenant.credentials.webhook_secret)).json<{ estimated_completion: string }>();
        return new Date(body.estimated_completion).getTime() - clock.now().getTime();
      };
      // No history: 60 s.
      expect(await estimateMs()).toBeGreaterThan(55_000);
      expect(await estimateMs()).toBeLessThanOrEqual(60_000);
      for (let i = 0; i < 3; i++) await insertRequest(t.deps.database.db, tenant.id, { processing_time_ms: 600_000 });
      expect(await estimateMs()).toBeLessThanOrEqual(60_000);
      passTtl();
      expect(await estimateMs()).toBeGreaterThan(595_000);
    });

    it('applies a changed signature scheme and CallRail signing key within the cache time', async () => {
      const companyId = `ACKCO${Date.now()}`;
      const tenant = await t.createTenant({
        plan: 'enterprise',
        configuration: { callrail_company_id: companyId, callrail: { signing_secret: 'first-key' } },
      });
      const secret = tenant.credentials.webhook_secret;
      expect((await signed(tenant, secret)).statusCode).toBe(200);
      expect((await native('first-key', companyId)).statusCode).toBe(200);

      const put = (config: object) =>
        t.app.inject({
          method: 'PUT',
          url: `/v1/tenants/${tenant.id}/config`,
          headers: t.adminHeaders,
          payload: config,
        });
      expect(
        (await put({ callrail: { signature_scheme: 'callrail_signature', signing_secret: 'second-key' } })).statusCode,
      ).toBe(200);
      // A newly allowed key works at once; what is no longer allowed stops within the cache time.
      expect((await native('second-key', companyId)).statusCode).toBe(200);
      passTtl();
      expect((await signed(tenant, secret)).statusCode).toBe(401);
      expect((await native('first-key', companyId)).statusCode).toBe(401);
      expect((await native('second-key', companyId)).statusCode).toBe(200);

      expect((await put({ callrail: { signature_scheme: 'both' } })).statusCode).toBe(200);
      expect((await signed(tenant, secret)).statusCode).toBe(200);
    });

    it('stores a JSON body byte for byte, and a form-encoded lead as its fields in JSON', async () => {
      const tenant = await t.createTenant({ plan: 'enterprise' });
      const db = t.deps.database.db;
      const stored = async (requestId: string) =>
        (await pipelineRepo.findRequest(db, tenant.id, requestId))?.original_payload;
      const raw = `{ "call_id": "${callId()}",  "tenant_id": "${tenant.id}" }`;
      const json = await signed(tenant, tenant.credentials.webhook_secret, raw);
      expect(json.statusCode, json.body).toBe(200);
      expect(await stored(json.json<{ request_id: string }>().request_id)).toBe(raw);

      const form = await t.app.inject({
        method: 'POST',
        url: '/v1/leads/webhook',
        headers: { 'x-api-key': tenant.apiKey, 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'customer_name=Lee+Park&customer_email=lee%40parkhomes.com&project_description=Gutters',
      });
      expect(form.statusCode, form.body).toBe(200);
      expect(JSON.parse((await stored(form.json<{ request_id: string }>().request_id))!)).toEqual({
        customer_name: 'Lee Park',
        customer_email: 'lee@parkhomes.com',
        project_description: 'Gutters',
      });
    });

    it('records a step, its next job and its own completion together, and nothing when another worker holds the step’s job', async () => {
      const tenant = await t.createTenant({ plan: 'enterprise' });
      const requestId = (await signed(tenant, tenant.credentials.webhook_secret)).json<{ request_id: string }>()
        .request_id;
      const db = t.deps.database.db;
      const context = (holdsJob: boolean): JobContext => ({
        id: 'job_test',
        type: 'ingest.step',
        tenantId: tenant.id,
        attempt: 1,
        maxAttempts: 3,
        signal: new AbortController().signal,
        completeIn: () => Promise.resolve(holdsJob),
      });
      const payload = { tenantId: tenant.id, requestId, step: 'callrail_api_fetch', generation: 0 };
      const fetchStep = async () =>
        (await pipelineRepo.listSteps(db, (await pipelineRepo.findRequest(db, tenant.id, requestId))!)).find(
          (s) => s.step === 'callrail_api_fetch',
        );
      const nextJobs = () =>
        db
          .selectFrom('jobs')
          .select('payload')
          .where('tenant_id', '=', tenant.id)
          .where('type', '=', 'ingest.step')
          .execute();

      await expect(t.deps.services.ingestionPipeline.runStep(payload, context(false))).rejects.toThrow(
        /taken over by another worker/,
      );
      expect(await fetchStep()).toMatchObject({ status: 'pending', attempts: 0 });
      expect(await nextJobs()).toEqual([]);

      // The tenant has no CallRail API key: the step is skipped, and the download is queued with it.
      await t.deps.services.ingestionPipeline.runStep(payload, context(true));
      expect(await fetchStep()).toMatchObject({ status: 'skipped', attempts: 1 });
      expect((await nextJobs()).map((j) => JSON.parse(String(j.payload)) as { step: string })).toEqual([
        expect.objectContaining({ requestId, step: 'audio_download' }),
      ]);
    });
  });
}
