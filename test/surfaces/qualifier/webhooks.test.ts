import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { verifySignature, type WebhookTuning } from '../../../src/domain/webhooks/index.js';
import type { HostLookup, ResolvedAddress } from '../../../src/providers/http/safe-fetch.js';
import type { Dialect } from '../../../src/store/db.js';
import { startTestApp, type TestApp } from '../../helpers/app.js';
import { dialects } from '../../helpers/db.js';
import { itIsolatesTenants } from '../../helpers/isolation.js';
import { waitFor } from '../../helpers/queue.js';
import { startWebhookReceiver, type WebhookReceiver } from '../../fakes/webhook-receiver.fake.js';

type Tenant = Awaited<ReturnType<TestApp['createTenant']>>;
/** JSON as the API answered it. */
type Body = ReturnType<typeof JSON.parse>;

/**
 * The app with its queue running, on a clock the test can move, with webhook timings short
 * enough that a whole retry series takes milliseconds.
 */
async function startWebhookApp(
  dialect: Dialect,
  opts: { allowPrivate?: boolean; lookup?: HostLookup; tuning?: Partial<WebhookTuning> } = {},
): Promise<TestApp & { shiftClock(ms: number): void }> {
  let shift = 0;
  const t = await startTestApp({
    dialect,
    clock: { now: () => new Date(Date.now() + shift) },
    ...(opts.allowPrivate === false ? { env: { FRONTDESK_ALLOW_PRIVATE_URLS: '0' } } : {}),
    ...(opts.lookup ? { lookup: opts.lookup } : {}),
    webhooks: { retryScheduleMs: [0, 0], timeoutMs: 2_000, ...opts.tuning },
  });
  await t.startWorkers();
  return {
    ...t,
    shiftClock(ms) {
      shift = ms;
    },
    createTenant: (body = {}) => t.createTenant({ plan: 'enterprise', ...body }),
  };
}

const bearer = (tenant: Tenant) => ({ authorization: `Bearer ${tenant.apiKey}` });

async function subscribe(t: TestApp, tenant: Tenant, body: Body): Promise<Body> {
  const res = await t.app.inject({ method: 'POST', url: '/api/webhooks', headers: bearer(tenant), payload: body });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

async function deliveries(t: TestApp, tenant: Tenant, webhookId: string): Promise<Body[]> {
  const res = await t.app.inject({
    method: 'GET',
    url: `/api/webhooks/${webhookId}/deliveries`,
    headers: bearer(tenant),
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json().deliveries;
}

async function webhookOf(t: TestApp, tenant: Tenant, webhookId: string): Promise<Body> {
  const res = await t.app.inject({ method: 'GET', url: '/api/webhooks', headers: bearer(tenant) });
  return (res.json().webhooks as Body[]).find((w) => w.id === webhookId);
}

/** Polls the service (not the API, which is rate limited) until the delivery reaches `status`, then reads it through the API. */
async function settled(
  t: TestApp,
  tenant: Tenant,
  webhookId: string,
  deliveryId: string,
  status: string,
): Promise<Body> {
  await waitFor(async () => {
    const page = await t.deps.services.webhooks.listDeliveries(tenant.id, webhookId, { limit: 100 });
    return page.deliveries.some((d) => d.id === deliveryId && d.status === status);
  });
  return (await deliveries(t, tenant, webhookId)).find((d) => d.id === deliveryId)!;
}

/** Polls the service until the webhook has `status`. */
function webhookStatus(t: TestApp, tenant: Tenant, webhookId: string, status: string): Promise<boolean> {
  return waitFor(async () => (await t.deps.services.webhooks.get(tenant.id, webhookId)).status === status);
}

const leadData = { id: 'lead_8f3k2j1', email: 'john@acme.com', score: 87, tier: 'HOT' };

for (const { dialect, label, skip } of dialects) {
  describe.skipIf(skip)(`qualifier webhooks on ${label}`, () => {
    let t: Awaited<ReturnType<typeof startWebhookApp>>;
    let receiver: WebhookReceiver;

    beforeAll(async () => {
      t = await startWebhookApp(dialect);
      receiver = await startWebhookReceiver();
    });
    afterAll(async () => {
      await t.close();
      await receiver.close();
    });
    afterEach(() => {
      t.shiftClock(0);
      receiver.requests.length = 0;
      receiver.reply({ status: 200, body: 'ok' });
    });

    it('delivers a payload signed with the documented schemes to a subscribed endpoint', async () => {
      const tenant = await t.createTenant();
      const created = await subscribe(t, tenant, {
        url: `${receiver.url}/hooks/leads`,
        events: ['lead.qualified', 'batch.completed'],
      });
      expect(created).toMatchObject({
        url: `${receiver.url}/hooks/leads`,
        events: ['lead.qualified', 'batch.completed'],
        status: 'active',
      });
      expect(created.id).toMatch(/^whk_/);
      expect(created.secret).toMatch(/^whsec_/);
      expect(typeof created.created_at).toBe('string');

      const emitted = await t.deps.services.webhooks.emit(tenant.id, 'lead.qualified', leadData);
      expect(emitted.eventId).toMatch(/^evt_/);
      expect(emitted.deliveryIds).toHaveLength(1);

      const [request] = await receiver.waitFor(1);
      expect(request!.method).toBe('POST');
      expect(request!.path).toBe('/hooks/leads');
      expect(request!.headers['content-type']).toBe('application/json');
      expect(request!.headers['user-agent']).toBe('Frontdesk-Webhooks/1');
      expect(request!.headers['webhook-id']).toBe(emitted.eventId);
      const payload = JSON.parse(request!.body);
      expect(Object.keys(payload)).toEqual(['event', 'timestamp', 'data']);
      expect(payload).toMatchObject({ event: 'lead.qualified', data: leadData });
      expect(new Date(payload.timestamp).toISOString()).toBe(payload.timestamp);

      for (const scheme of ['qualifier', 'standard'] as const) {
        expect(
          verifySignature({ body: request!.body, headers: request!.headers, secrets: [created.secret], scheme }),
        ).toMatchObject({ ok: true, scheme });
        expect(
          verifySignature({
            body: request!.body,
            headers: request!.headers,
            secrets: ['whsec_bm90IHRoZSByaWdodCBzZWNyZXQgYXQgYWxs'],
            scheme,
          }),
        ).toEqual({
          ok: false,
          reason: 'signature_mismatch',
        });
      }

      const delivery = await settled(t, tenant, created.id, emitted.deliveryIds[0]!, 'delivered');
      expect(delivery).toMatchObject({
        event_id: emitted.eventId,
        event: 'lead.qualified',
        attempt_count: 1,
        last_status_code: 200,
        replay_of: null,
        payload,
      });
      expect(delivery.attempts).toEqual([
        expect.objectContaining({ attempt: 1, status_code: 200, response_body: 'ok', error: null }),
      ]);
      expect(delivery.delivered_at).toEqual(expect.any(String));

      // Not subscribed: nothing recorded, nothing sent.
      expect((await t.deps.services.webhooks.emit(tenant.id, 'lead.scored', leadData)).deliveryIds).toEqual([]);

      const list = await t.app.inject({ method: 'GET', url: '/api/webhooks', headers: bearer(tenant) });
      expect(list.statusCode).toBe(200);
      expect(list.json().webhooks).toEqual([
        expect.objectContaining({ id: created.id, status: 'active', consecutive_failures: 0 }),
      ]);
      expect(list.body).not.toContain(created.secret);
      expect(list.json().webhooks[0]).not.toHaveProperty('secret');
    });

    it('signs with the secret the client chose', async () => {
      const tenant = await t.createTenant();
      const secret = 'whsec_your_signing_secret';
      const created = await subscribe(t, tenant, { url: receiver.url, events: ['batch.completed'], secret });
      expect(created.secret).toBe(secret);
      await t.deps.services.webhooks.emit(tenant.id, 'batch.completed', { batch_id: 'batch_1' });
      const [request] = await receiver.waitFor(1);
      expect(
        verifySignature({ body: request!.body, headers: request!.headers, secrets: [secret], scheme: 'qualifier' }).ok,
      ).toBe(true);
      expect(
        verifySignature({ body: request!.body, headers: request!.headers, secrets: [secret], scheme: 'standard' }).ok,
      ).toBe(true);
    });

    it('retries after 500s and lists every attempt once it succeeds', async () => {
      const tenant = await t.createTenant();
      const created = await subscribe(t, tenant, { url: receiver.url, events: ['lead.qualified'] });
      receiver.reply({ status: 500, body: 'boom' }, { status: 503, body: 'busy' }, { status: 204 });
      const { eventId, deliveryIds } = await t.deps.services.webhooks.emit(tenant.id, 'lead.qualified', leadData);

      const delivery = await settled(t, tenant, created.id, deliveryIds[0]!, 'delivered');
      expect(delivery.attempt_count).toBe(3);
      expect(delivery.attempts.map((a: Body) => [a.attempt, a.status_code, a.response_body])).toEqual([
        [1, 500, 'boom'],
        [2, 503, 'busy'],
        [3, 204, ''],
      ]);
      expect(delivery.last_error).toBeNull();
      const requests = await receiver.waitFor(3);
      expect(new Set(requests.map((r) => r.headers['webhook-id']))).toEqual(new Set([eventId]));
      expect(new Set(requests.map((r) => r.body)).size).toBe(1);
      for (const r of requests)
        expect(verifySignature({ body: r.body, headers: r.headers, secrets: [created.secret] }).ok).toBe(true);
      expect(await webhookOf(t, tenant, created.id)).toMatchObject({
        status: 'active',
        consecutive_failures: 0,
        failing_since: null,
      });
    });

    it('marks a delivery dead once the retry schedule is used up', async () => {
      const tenant = await t.createTenant();
      const created = await subscribe(t, tenant, { url: receiver.url, events: ['lead.qualified'] });
      receiver.reply({ status: 500, body: 'still broken' });
      const { deliveryIds } = await t.deps.services.webhooks.emit(tenant.id, 'lead.qualified', leadData);

      const delivery = await settled(t, tenant, created.id, deliveryIds[0]!, 'dead');
      expect(delivery).toMatchObject({
        attempt_count: 3,
        last_status_code: 500,
        next_attempt_at: null,
        delivered_at: null,
        last_error: 'receiver answered 500',
      });
      expect(delivery.attempts).toHaveLength(3);
      expect(await webhookOf(t, tenant, created.id)).toMatchObject({
        status: 'active',
        consecutive_failures: 1,
        failing_since: expect.any(String),
      });
    });

    it('records a timeout as a failed attempt with its error', async () => {
      const tenant = await t.createTenant();
      const created = await subscribe(t, tenant, { url: receiver.url, events: ['lead.qualified'] });
      receiver.reply({ status: 200, delayMs: 3_000 }, { status: 200, body: 'ok' });
      const { deliveryIds } = await t.deps.services.webhooks.emit(tenant.id, 'lead.qualified', leadData);
      const delivery = await settled(t, tenant, created.id, deliveryIds[0]!, 'delivered');
      expect(delivery.attempts[0]).toMatchObject({
        attempt: 1,
        status_code: null,
        error: expect.stringContaining('2000 ms'),
      });
      expect(delivery.attempts[1]).toMatchObject({ attempt: 2, status_code: 200 });
    });

    it('ends the delivery and disables the endpoint when the receiver answers 410 Gone', async () => {
      const tenant = await t.createTenant();
      const created = await subscribe(t, tenant, { url: receiver.url, events: ['lead.qualified'] });
      receiver.reply({ status: 410, body: 'gone' });
      const { deliveryIds } = await t.deps.services.webhooks.emit(tenant.id, 'lead.qualified', leadData);
      const delivery = await settled(t, tenant, created.id, deliveryIds[0]!, 'dead');
      expect(delivery.attempt_count).toBe(1);
      expect(await webhookOf(t, tenant, created.id)).toMatchObject({
        status: 'disabled',
        disabled_reason: expect.stringContaining('410'),
      });
    });

    it('disables an endpoint after five dead deliveries in a row, and enable brings it back', async () => {
      const tenant = await t.createTenant();
      const created = await subscribe(t, tenant, { url: receiver.url, events: ['lead.qualified'] });
      receiver.reply({ status: 500 });
      for (let i = 0; i < 5; i++) {
        const { deliveryIds } = await t.deps.services.webhooks.emit(tenant.id, 'lead.qualified', { ...leadData, n: i });
        await settled(t, tenant, created.id, deliveryIds[0]!, 'dead');
      }
      const disabled = (await webhookOf(t, tenant, created.id))!;
      expect(disabled).toMatchObject({ status: 'disabled', consecutive_failures: 5, disabled_at: expect.any(String) });
      expect(disabled.disabled_reason).toContain('5 deliveries in a row');

      // Disabled: new events are not recorded for it, and replays wait for it to be enabled.
      expect((await t.deps.services.webhooks.emit(tenant.id, 'lead.qualified', leadData)).deliveryIds).toEqual([]);
      const [dead] = await deliveries(t, tenant, created.id);
      const refused = await t.app.inject({
        method: 'POST',
        url: `/api/webhooks/${created.id}/deliveries/${dead!.id}/replay`,
        headers: bearer(tenant),
      });
      expect(refused.statusCode).toBe(409);

      const enabled = await t.app.inject({
        method: 'POST',
        url: `/api/webhooks/${created.id}/enable`,
        headers: bearer(tenant),
      });
      expect(enabled.statusCode, enabled.body).toBe(200);
      expect(enabled.json()).toMatchObject({
        id: created.id,
        status: 'active',
        consecutive_failures: 0,
        failing_since: null,
        disabled_at: null,
        disabled_reason: null,
      });

      receiver.reply({ status: 200, body: 'ok' });
      const { deliveryIds } = await t.deps.services.webhooks.emit(tenant.id, 'lead.qualified', leadData);
      await settled(t, tenant, created.id, deliveryIds[0]!, 'delivered');
    });

    it('disables an endpoint whose attempts have all failed for more than 24 hours', async () => {
      const tenant = await t.createTenant();
      const created = await subscribe(t, tenant, { url: receiver.url, events: ['lead.qualified'] });
      receiver.reply({ status: 502 });
      const first = await t.deps.services.webhooks.emit(tenant.id, 'lead.qualified', leadData);
      await settled(t, tenant, created.id, first.deliveryIds[0]!, 'dead');
      expect((await webhookOf(t, tenant, created.id))!.status).toBe('active');

      t.shiftClock(25 * 60 * 60_000);
      const later = await t.deps.services.webhooks.emit(tenant.id, 'lead.qualified', leadData);
      await webhookStatus(t, tenant, created.id, 'disabled');
      expect((await webhookOf(t, tenant, created.id))!.disabled_reason).toContain('24 h');
      // The delivery in flight stops at the next attempt instead of hammering a disabled endpoint.
      const stopped = await settled(t, tenant, created.id, later.deliveryIds[0]!, 'dead');
      expect(stopped.attempt_count).toBe(1);
    });

    it('replays a delivery as a new delivery with the same event id and body', async () => {
      const tenant = await t.createTenant();
      const created = await subscribe(t, tenant, { url: receiver.url, events: ['lead.routed'] });
      const { eventId, deliveryIds } = await t.deps.services.webhooks.emit(tenant.id, 'lead.routed', {
        id: 'lead_1',
        crm: 'hubspot',
      });
      const original = await settled(t, tenant, created.id, deliveryIds[0]!, 'delivered');

      const res = await t.app.inject({
        method: 'POST',
        url: `/api/webhooks/${created.id}/deliveries/${original.id}/replay`,
        headers: bearer(tenant),
      });
      expect(res.statusCode, res.body).toBe(202);
      const replay = res.json();
      expect(replay).toMatchObject({
        event_id: eventId,
        replay_of: original.id,
        status: 'pending',
        attempt_count: 0,
        attempts: [],
      });
      expect(replay.id).not.toBe(original.id);

      await settled(t, tenant, created.id, replay.id, 'delivered');
      const requests = await receiver.waitFor(2);
      expect(requests.map((r) => r.headers['webhook-id'])).toEqual([eventId, eventId]);
      expect(requests[1]!.body).toBe(requests[0]!.body);
      expect(
        verifySignature({ body: requests[1]!.body, headers: requests[1]!.headers, secrets: [created.secret] }).ok,
      ).toBe(true);

      const listed = await deliveries(t, tenant, created.id);
      expect(listed.map((d) => d.id)).toEqual([replay.id, original.id]);

      const unknown = await t.app.inject({
        method: 'POST',
        url: `/api/webhooks/${created.id}/deliveries/dlv_unknown/replay`,
        headers: bearer(tenant),
      });
      expect(unknown.statusCode).toBe(404);
      expect(unknown.json().error.code).toBe('NOT_FOUND');
    });

    it('pages deliveries newest first and filters them by status', async () => {
      const tenant = await t.createTenant();
      const created = await subscribe(t, tenant, { url: receiver.url, events: ['lead.enriched'] });
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) {
        const { deliveryIds } = await t.deps.services.webhooks.emit(tenant.id, 'lead.enriched', { id: `lead_${i}` });
        await settled(t, tenant, created.id, deliveryIds[0]!, 'delivered');
        ids.push(deliveryIds[0]!);
      }
      const first = await t.app.inject({
        method: 'GET',
        url: `/api/webhooks/${created.id}/deliveries?limit=2`,
        headers: bearer(tenant),
      });
      expect(first.json().deliveries.map((d: Body) => d.id)).toEqual([ids[2], ids[1]]);
      expect(first.json().has_more).toBe(true);
      const rest = await t.app.inject({
        method: 'GET',
        url: `/api/webhooks/${created.id}/deliveries?limit=2&before=${ids[1]}`,
        headers: bearer(tenant),
      });
      expect(rest.json()).toMatchObject({ deliveries: [expect.objectContaining({ id: ids[0] })], has_more: false });
      const dead = await t.app.inject({
        method: 'GET',
        url: `/api/webhooks/${created.id}/deliveries?status=dead`,
        headers: bearer(tenant),
      });
      expect(dead.json().deliveries).toEqual([]);
    });

    it('deletes a webhook (200 with a body) and stops its deliveries', async () => {
      const tenant = await t.createTenant();
      const created = await subscribe(t, tenant, { url: receiver.url, events: ['lead.qualified'] });
      const res = await t.app.inject({ method: 'DELETE', url: `/api/webhooks/${created.id}`, headers: bearer(tenant) });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ id: created.id, deleted: true });
      expect(await webhookOf(t, tenant, created.id)).toBeUndefined();
      expect((await t.deps.services.webhooks.emit(tenant.id, 'lead.qualified', leadData)).deliveryIds).toEqual([]);
      const again = await t.app.inject({
        method: 'DELETE',
        url: `/api/webhooks/${created.id}`,
        headers: bearer(tenant),
      });
      expect(again.statusCode).toBe(404);
      expect(again.json().error).toMatchObject({ code: 'NOT_FOUND' });
    });

    it('answers 404 to another tenant for every route of a webhook, and lists only its own', async () => {
      const owner = await t.createTenant();
      const intruder = await t.createTenant();
      const created = await subscribe(t, owner, { url: receiver.url, events: ['lead.qualified'] });
      const { deliveryIds } = await t.deps.services.webhooks.emit(owner.id, 'lead.qualified', leadData);
      await settled(t, owner, created.id, deliveryIds[0]!, 'delivered');

      const list = await t.app.inject({ method: 'GET', url: '/api/webhooks', headers: bearer(intruder) });
      expect(list.json()).toEqual({ webhooks: [] });
      const routes: [string, string][] = [
        ['GET', `/api/webhooks/${created.id}/deliveries`],
        ['POST', `/api/webhooks/${created.id}/deliveries/${deliveryIds[0]!}/replay`],
        ['POST', `/api/webhooks/${created.id}/enable`],
        ['DELETE', `/api/webhooks/${created.id}`],
      ];
      for (const [method, url] of routes) {
        const res = await t.app.inject({ method: method as 'GET', url, headers: bearer(intruder) });
        expect(res.statusCode, `${method} ${url}`).toBe(404);
        expect(res.json().error.code).toBe('NOT_FOUND');
      }
      // An intruder's own webhook cannot reach the owner's delivery either.
      const own = await subscribe(t, intruder, { url: receiver.url, events: ['lead.qualified'] });
      const cross = await t.app.inject({
        method: 'POST',
        url: `/api/webhooks/${own.id}/deliveries/${deliveryIds[0]!}/replay`,
        headers: bearer(intruder),
      });
      expect(cross.statusCode).toBe(404);
      expect(await webhookOf(t, owner, created.id)).toBeDefined();
      expect(await deliveries(t, owner, created.id)).toHaveLength(1);
    });

    describe('tenant isolation through the shared helper', () => {
      const createWebhook = async (app: TestApp, owner: Tenant): Promise<string> => {
        const res = await app.app.inject({
          method: 'POST',
          url: '/api/webhooks',
          headers: bearer(owner),
          payload: { url: receiver.url, events: ['lead.qualified'] },
        });
        return res.json().id as string;
      };
      itIsolatesTenants(
        () => t,
        [
          { method: 'GET', path: '/api/webhooks/:object/deliveries', createObject: createWebhook },
          { method: 'POST', path: '/api/webhooks/:object/enable', createObject: createWebhook },
          { method: 'DELETE', path: '/api/webhooks/:object', createObject: createWebhook },
          {
            method: 'POST',
            path: '/api/webhooks/:object/replay',
            // `:object` stands for "<webhook>/deliveries/<delivery>", settled so nothing changes while the intruder tries.
            createObject: async (app, owner) => {
              const webhookId = await createWebhook(app, owner);
              const { deliveryIds } = await app.deps.services.webhooks.emit(owner.id, 'lead.qualified', leadData);
              await settled(app, owner, webhookId, deliveryIds[0]!, 'delivered');
              await app.deps.queue.idle(5_000);
              return `${webhookId}/deliveries/${deliveryIds[0]!}`;
            },
          },
        ],
      );
    });

    it('lets the admin act on a tenant named in X-Tenant-ID, and 404s an unknown one', async () => {
      const tenant = await t.createTenant();
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/webhooks',
        headers: { ...t.adminHeaders, 'x-tenant-id': tenant.id },
        payload: { url: receiver.url, events: ['lead.qualified'] },
      });
      expect(res.statusCode, res.body).toBe(201);
      expect(await webhookOf(t, tenant, res.json().id)).toBeDefined();
      const unknown = await t.app.inject({
        method: 'POST',
        url: '/api/webhooks',
        headers: { ...t.adminHeaders, 'x-tenant-id': 'no-such-tenant' },
        payload: { url: receiver.url, events: ['lead.qualified'] },
      });
      expect(unknown.statusCode).toBe(404);
    });

    it('rejects bad input with spec E’s envelope naming the field', async () => {
      const tenant = await t.createTenant();
      const cases: [Body, string][] = [
        [{ events: ['lead.qualified'] }, 'url'],
        [{ url: receiver.url }, 'events'],
        [{ url: receiver.url, events: [] }, 'events'],
        [{ url: receiver.url, events: ['lead.deleted'] }, 'events.0'],
        [{ url: 'ftp://example.com/hook', events: ['lead.qualified'] }, 'url'],
        [{ url: 'not a url', events: ['lead.qualified'] }, 'url'],
        [{ url: 'https://user:pass@example.com/hook', events: ['lead.qualified'] }, 'url'],
        [{ url: receiver.url, events: ['lead.qualified'], secret: 'short' }, 'secret'],
        [{ url: receiver.url, events: ['lead.qualified'], secret: 'has spaces in the secret' }, 'secret'],
      ];
      for (const [payload, field] of cases) {
        const res = await t.app.inject({ method: 'POST', url: '/api/webhooks', headers: bearer(tenant), payload });
        expect(res.statusCode, JSON.stringify(payload)).toBe(400);
        const error = res.json().error;
        expect(error.code).toBe('VALIDATION_ERROR');
        expect(error.details.field).toBe(field);
        expect(error.message).toContain(field);
      }
      const badQuery = await t.app.inject({
        method: 'GET',
        url: '/api/webhooks/whk_x/deliveries?limit=0',
        headers: bearer(tenant),
      });
      expect(badQuery.statusCode).toBe(400);
      expect(badQuery.json().error.code).toBe('VALIDATION_ERROR');
      expect((await t.app.inject({ method: 'GET', url: '/api/webhooks' })).json().error.code).toBe('UNAUTHORIZED');
      expect((await t.app.inject({ method: 'GET', url: '/api/webhooks' })).statusCode).toBe(401);
    });

    it('signs one-off callbacks with the tenant callback secret, shown once when rotated', async () => {
      const tenant = await t.createTenant();
      const rotated = await t.app.inject({
        method: 'POST',
        url: '/api/webhooks/callback-secret/rotate',
        headers: bearer(tenant),
      });
      expect(rotated.statusCode, rotated.body).toBe(200);
      const { secret } = rotated.json();
      expect(secret).toMatch(/^whsec_/);

      const once = await t.deps.services.webhooks.deliverOnce(tenant.id, `${receiver.url}/batch`, 'batch.completed', {
        batch_id: 'batch_1',
      });
      expect(once).toMatchObject({ delivered: true, statusCode: 200, error: null });
      await t.deps.services.webhooks.sendCallback(tenant.id, `${receiver.url}/batch`, 'batch.failed', {
        batch_id: 'batch_2',
      });
      const requests = await receiver.waitFor(2);
      for (const r of requests)
        expect(verifySignature({ body: r.body, headers: r.headers, secrets: [secret] }).ok).toBe(true);
      expect(JSON.parse(requests[1]!.body)).toMatchObject({ event: 'batch.failed', data: { batch_id: 'batch_2' } });
    });
  });

  describe.skipIf(skip)(`qualifier webhooks SSRF guard on ${label}`, () => {
    let t: Awaited<ReturnType<typeof startWebhookApp>>;
    let receiver: WebhookReceiver;
    let tenant: Tenant;
    const dns = new Map<string, ResolvedAddress[]>();

    beforeAll(async () => {
      receiver = await startWebhookReceiver();
      t = await startWebhookApp(dialect, {
        allowPrivate: false,
        lookup: (host) => {
          const answer = dns.get(host);
          return answer ? Promise.resolve(answer) : Promise.reject(new Error(`getaddrinfo ENOTFOUND ${host}`));
        },
      });
      tenant = await t.createTenant();
    });
    afterAll(async () => {
      await t.close();
      await receiver.close();
    });

    it('refuses loopback, private, link-local, metadata and multicast URLs when private URLs are not allowed', async () => {
      dns.set('rebind.example.com', [
        { address: '93.184.216.34', family: 4 },
        { address: '127.0.0.1', family: 4 },
      ]);
      dns.set('internal.example.com', [{ address: '10.1.2.3', family: 4 }]);
      const refused = [
        receiver.url,
        'http://localhost:8080/hook',
        'http://api.localhost/hook',
        'http://[::1]/hook',
        'http://[::ffff:127.0.0.1]/hook',
        'http://0x7f.1/hook',
        'http://169.254.169.254/latest/meta-data/',
        'http://metadata.google.internal/computeMetadata/v1/',
        'http://10.0.0.5/hook',
        'http://192.168.1.10/hook',
        'http://[fd00:ec2::254]/hook',
        'http://224.0.0.1/hook',
        'http://internal.example.com/hook',
        'https://rebind.example.com/hook',
        'https://nowhere.example.com/hook',
      ];
      for (const url of refused) {
        const res = await t.app.inject({
          method: 'POST',
          url: '/api/webhooks',
          headers: bearer(tenant),
          payload: { url, events: ['lead.qualified'] },
        });
        expect(res.statusCode, url).toBe(400);
        expect(res.json().error).toMatchObject({ code: 'VALIDATION_ERROR', details: { field: 'url' } });
        // A private target is refused with the way out: the operator's setting, never the tenant's.
        if (!url.includes('nowhere')) expect(res.json().error.message, url).toContain('FRONTDESK_ALLOW_PRIVATE_URLS=1');
      }
      expect(
        (await t.app.inject({ method: 'GET', url: '/api/webhooks', headers: bearer(tenant) })).json().webhooks,
      ).toEqual([]);
    });

    it('refuses at delivery time a host whose DNS answer turned private after it was registered', async () => {
      dns.set('hooks.example.com', [{ address: '93.184.216.34', family: 4 }]);
      const created = await subscribe(t, tenant, {
        url: `http://hooks.example.com:${receiver.port}/hook`,
        events: ['lead.qualified'],
      });

      dns.set('hooks.example.com', [{ address: '127.0.0.1', family: 4 }]);
      const { deliveryIds } = await t.deps.services.webhooks.emit(tenant.id, 'lead.qualified', leadData);
      const delivery = await settled(t, tenant, created.id, deliveryIds[0]!, 'dead');
      expect(delivery.attempt_count).toBe(1);
      expect(delivery.attempts[0]).toMatchObject({ status_code: null, error: expect.stringContaining('private') });
      expect(receiver.requests).toEqual([]);
    });
  });
}
