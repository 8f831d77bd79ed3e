import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { verifySignature } from '../../../src/domain/webhooks/index.js';
import { startTestApp, type TestApp } from '../../helpers/app.js';
import { dialects } from '../../helpers/db.js';
import { itIsolatesTenants } from '../../helpers/isolation.js';
import { waitFor } from '../../helpers/queue.js';
import { startWebhookReceiver, type WebhookReceiver } from '../../fakes/webhook-receiver.fake.js';

type Tenant = Awaited<ReturnType<TestApp['createTenant']>>;
/** JSON as the API answered it. */
type Body = ReturnType<typeof JSON.parse>;

const hotLead = {
  email: 'Dana.Whitfield@northwind-logistics.com',
  company: 'Northwind Logistics',
  name: 'Dana Whitfield',
  phone: '+1 415 555 0134',
  message:
    'We are a 120-person sales team evaluating lead scoring software. Budget approved at $40,000 this quarter; we need a demo this week and want to sign by end of month.',
  source: 'website_form',
  metadata: { utm_source: 'google', landing_page: '/enterprise' },
};
/** A prospect asking for pricing for next year: WARM under spec E's thresholds. */
const warmLead = {
  email: 'sam@harbor-dental.com',
  company: 'Harbor Dental',
  message: 'We might look at lead scoring software next year. Could you send pricing?',
};
const coldLead = { email: 'kid1999@gmail.com', company: 'none', message: 'just browsing, homework project' };

const auth = (tenant: Tenant) => ({ authorization: `Bearer ${tenant.apiKey}` });

for (const { dialect, label, skip } of dialects) {
  describe.skipIf(skip)(`spec E qualification on ${label}`, () => {
    let t: TestApp;
    let receiver: WebhookReceiver;
    /** Tenants default to enterprise here: free's 10 requests a minute would cut a test short. */
    let app: TestApp;

    beforeAll(async () => {
      t = await startTestApp({ dialect });
      await t.deps.queue.start();
      receiver = await startWebhookReceiver();
      app = { ...t, createTenant: (body = {}) => t.createTenant({ plan: 'enterprise', ...body }) };
    });
    afterAll(async () => {
      await t.close();
      await receiver.close();
    });
    afterEach(() => {
      receiver.requests.length = 0;
      receiver.reply({ status: 200, body: 'ok' });
    });

    const qualify = (tenant: Tenant, payload: object) =>
      t.app.inject({ method: 'POST', url: '/api/qualify', headers: auth(tenant), payload });

    const subscribe = async (tenant: Tenant, events: string[]) => {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/webhooks',
        headers: auth(tenant),
        payload: { url: `${receiver.url}/hooks`, events },
      });
      expect(res.statusCode, res.body).toBe(201);
      return res.json<{ secret: string }>().secret;
    };

    describe('POST /api/qualify', () => {
      it('answers in exactly the documented shape', async () => {
        const tenant = await app.createTenant();
        const res = await qualify(tenant, hotLead);
        expect(res.statusCode, res.body).toBe(200);
        const body: Body = res.json();
        expect(Object.keys(body).sort()).toEqual(
          [
            'created_at',
            'enrichment',
            'id',
            'processing_time_ms',
            'reasoning',
            'recommended_action',
            'score',
            'scoring_breakdown',
            'tier',
          ].sort(),
        );
        expect(body.id).toMatch(/^lead_/);
        expect(Object.keys(body.scoring_breakdown).sort()).toEqual([
          'budget_indicator',
          'company_fit',
          'intent_signal',
          'urgency',
        ]);
        for (const v of Object.values<number>(body.scoring_breakdown)) {
          expect(v).toBeGreaterThanOrEqual(0);
          expect(v).toBeLessThanOrEqual(1);
        }
        expect(Object.keys(body.enrichment).sort()).toEqual([
          'company_size',
          'estimated_revenue',
          'industry',
          'linkedin_url',
          'location',
        ]);
        expect(typeof body.reasoning).toBe('string');
        expect(body.reasoning.length).toBeGreaterThan(10);
        expect(Number.isInteger(body.processing_time_ms)).toBe(true);
        expect(new Date(body.created_at).toISOString()).toBe(body.created_at);
      });

      it('scores a strong business lead HOT and routes it to an AE, a throwaway one COLD to marketing automation', async () => {
        const tenant = await app.createTenant();
        const hot: Body = (await qualify(tenant, hotLead)).json();
        const cold: Body = (await qualify(tenant, coldLead)).json();
        expect([hot.tier, hot.recommended_action]).toEqual(['HOT', 'route_to_ae']);
        expect(hot.score).toBeGreaterThanOrEqual(80);
        expect([cold.tier, cold.recommended_action]).toEqual(['COLD', 'add_to_marketing_automation']);
        expect(cold.score).toBeLessThan(50);
      });

      it('moves the tier boundaries when the tenant tunes its thresholds', async () => {
        const tenant = await app.createTenant({ configuration: { scoring: { thresholds: { hot: 40, warm: 10 } } } });
        const body: Body = (await qualify(tenant, warmLead)).json();
        expect(body.score).toBeGreaterThanOrEqual(40);
        expect(body.score).toBeLessThan(80);
        expect([body.tier, body.recommended_action]).toEqual(['HOT', 'route_to_ae']);
      });

      it.each([
        ['email', { company: 'Acme' }, /email/],
        ['email', { email: 'not-an-email', company: 'Acme' }, /email/],
        ['company', { email: 'a@acme.com' }, /company/],
        ['company', { email: 'a@acme.com', company: '  ' }, /company/],
        ['phone', { email: 'a@acme.com', company: 'Acme', phone: '12' }, /phone/],
        ['source', { email: 'a@acme.com', company: 'Acme', source: 'fax' }, /source/],
      ])('answers 400 VALIDATION_ERROR naming %s', async (field, payload, message) => {
        const tenant = await app.createTenant();
        const res = await qualify(tenant, payload);
        expect(res.statusCode, res.body).toBe(400);
        const body: Body = res.json();
        expect(body.error.code).toBe('VALIDATION_ERROR');
        expect(body.error.details.field).toBe(field);
        expect(body.error.message).toMatch(message);
      });

      it('answers 401 UNAUTHORIZED without an API key', async () => {
        const res = await t.app.inject({ method: 'POST', url: '/api/qualify', payload: hotLead });
        expect(res.statusCode).toBe(401);
        expect(res.json<Body>().error.code).toBe('UNAUTHORIZED');
      });

      it('updates the same lead when the e-mail comes again, keeps the score history, and fires lead.scored after lead.qualified', async () => {
        const tenant = await app.createTenant();
        const secret = await subscribe(tenant, ['lead.qualified', 'lead.scored']);
        const first: Body = (await qualify(tenant, { ...hotLead, message: 'Just curious about pricing' })).json();
        const second: Body = (await qualify(tenant, { ...hotLead, email: hotLead.email.toUpperCase() })).json();
        expect(second.id).toBe(first.id);
        expect(second.created_at).toBe(first.created_at);
        expect(second.score).not.toBe(first.score);

        const lead: Body = (
          await t.app.inject({ method: 'GET', url: `/api/qualify/${first.id}`, headers: auth(tenant) })
        ).json();
        expect(lead.score_history.map((h: Body) => h.score)).toEqual([first.score, second.score]);
        expect(lead.score).toBe(second.score);

        const received = await receiver.waitFor(2);
        const events = received.map((r) => JSON.parse(r.body)).sort((a, b) => a.timestamp.localeCompare(b.timestamp));
        expect(events.map((e) => e.event).sort()).toEqual(['lead.qualified', 'lead.scored']);
        const scored = events.find((e) => e.event === 'lead.scored');
        expect(scored.data).toMatchObject({
          id: first.id,
          email: hotLead.email.toLowerCase(),
          score: second.score,
          tier: second.tier,
          previous_score: first.score,
        });
        for (const r of received)
          expect(verifySignature({ body: r.body, headers: r.headers, secrets: [secret], scheme: 'qualifier' }).ok).toBe(
            true,
          );
      });

      it('keeps two people who share a phone as two leads and two contacts, linked by the phone', async () => {
        const tenant = await app.createTenant();
        await subscribe(tenant, ['lead.qualified', 'lead.scored']);
        const phone = '+1 415 555 0177';
        const alice: Body = (
          await qualify(tenant, { email: 'alice@x.com', name: 'Alice', company: 'Alpha', phone, message: 'pricing?' })
        ).json();
        const bob: Body = (
          await qualify(tenant, { email: 'bob@x.com', name: 'Bob', company: 'Beta', phone, message: hotLead.message })
        ).json();
        expect(bob.id).not.toBe(alice.id);

        const get = async (id: string): Promise<Body> =>
          (await t.app.inject({ method: 'GET', url: `/api/qualify/${id}`, headers: auth(tenant) })).json();
        const [aliceLead, bobLead] = await Promise.all([get(alice.id), get(bob.id)]);
        expect(aliceLead).toMatchObject({ email: 'alice@x.com', company: 'Alpha', created_at: alice.created_at });
        expect(aliceLead.score_history).toHaveLength(1);
        expect(bobLead).toMatchObject({ email: 'bob@x.com', company: 'Beta', created_at: bob.created_at });

        const events = (await receiver.waitFor(2)).map((r) => JSON.parse(r.body));
        expect(events.map((e) => [e.event, e.data.email]).sort()).toEqual([
          ['lead.qualified', 'alice@x.com'],
          ['lead.qualified', 'bob@x.com'],
        ]);

        const { contacts } = await t.deps.services.contacts.list(tenant.id, { limit: 10, offset: 0 });
        const byEmail = new Map(contacts.map((c) => [c.email, c]));
        expect(contacts).toHaveLength(2);
        expect(byEmail.get('alice@x.com')).toMatchObject({ name: 'Alice', phone: '+14155550177' });
        expect(byEmail.get('bob@x.com')).toMatchObject({
          name: 'Bob',
          phone: null,
          attributes: { shared_phones: ['+14155550177'], linked_contact_ids: [byEmail.get('alice@x.com')!.id] },
        });
      });

      it('answers 404 NOT_FOUND for an unknown lead', async () => {
        const tenant = await app.createTenant();
        const res = await t.app.inject({ method: 'GET', url: '/api/qualify/lead_nope', headers: auth(tenant) });
        expect(res.statusCode).toBe(404);
        expect(res.json<Body>().error.code).toBe('NOT_FOUND');
      });
    });

    describe('batches', () => {
      const batch = (tenant: Tenant, payload: object) =>
        t.app.inject({ method: 'POST', url: '/api/batch/qualify', headers: auth(tenant), payload });
      const status = (tenant: Tenant, id: string) =>
        t.app.inject({ method: 'GET', url: `/api/batch/${id}/status`, headers: auth(tenant) });
      const settled = (tenant: Tenant, id: string) =>
        waitFor(async () => {
          const body: Body = (await status(tenant, id)).json();
          return body.status === 'processing' ? undefined : body;
        });

      it('accepts with 202 as documented, qualifies every lead, reports failures per lead, and calls webhook_url signed', async () => {
        const tenant = await app.createTenant();
        const rotated = await t.app.inject({
          method: 'POST',
          url: '/api/webhooks/callback-secret/rotate',
          headers: auth(tenant),
        });
        const secret = rotated.json<{ secret: string }>().secret;
        const leads = [
          hotLead,
          coldLead,
          { email: 'broken', company: 'X' },
          ...Array.from({ length: 30 }, (_, i) => ({
            email: `buyer${i}@contoso.com`,
            company: 'Contoso',
            message: 'Need pricing for 40 seats',
          })),
        ];
        const res = await batch(tenant, { leads, webhook_url: `${receiver.url}/batch-complete`, priority: 'high' });
        expect(res.statusCode, res.body).toBe(202);
        const accepted: Body = res.json();
        expect(accepted).toEqual({
          batch_id: expect.stringMatching(/^batch_/),
          total_leads: 33,
          status: 'processing',
          estimated_completion_seconds: expect.any(Number),
          status_url: `/api/batch/${accepted.batch_id}/status`,
        });

        const done = await settled(tenant, accepted.batch_id);
        expect(done).toMatchObject({
          batch_id: accepted.batch_id,
          status: 'completed',
          total_leads: 33,
          processed: 32,
          failed: 1,
          pending: 0,
          progress: 1,
        });
        expect(done.results).toHaveLength(32);
        expect(done.results[0]).toMatchObject({ email: hotLead.email.toLowerCase(), tier: 'HOT' });
        expect(done.failures).toEqual([{ position: 2, email: 'broken', error: expect.stringMatching(/email/) }]);
        expect(new Date(done.completed_at).getTime()).toBeGreaterThan(0);
        expect(done.processing_time_ms).toBeGreaterThanOrEqual(0);

        const [callback] = await receiver.waitFor(1);
        expect(callback!.path).toBe('/batch-complete');
        const payload: Body = JSON.parse(callback!.body);
        expect(payload.event).toBe('batch.completed');
        expect(payload.data).toMatchObject({ batch_id: accepted.batch_id, processed: 32, failed: 1 });
        expect(
          verifySignature({ body: callback!.body, headers: callback!.headers, secrets: [secret], scheme: 'qualifier' })
            .ok,
        ).toBe(true);
        expect(
          verifySignature({ body: callback!.body, headers: callback!.headers, secrets: [secret], scheme: 'standard' })
            .ok,
        ).toBe(true);
      });

      it('reports a batch whose every lead fails as failed, and sends batch.failed', async () => {
        const tenant = await app.createTenant();
        await subscribe(tenant, ['batch.failed']);
        const res = await batch(tenant, { leads: [{ email: 'x' }, { company: 'y' }] });
        const done = await settled(tenant, res.json<Body>().batch_id);
        expect(done).toMatchObject({ status: 'failed', processed: 0, failed: 2 });
        const [delivery] = await receiver.waitFor(1);
        expect(JSON.parse(delivery!.body)).toMatchObject({ event: 'batch.failed', data: { batch_id: done.batch_id } });
      });

      it('queues a batch at its priority', async () => {
        const tenant = await app.createTenant();
        const ids = [];
        for (const priority of ['low', 'high'])
          ids.push((await batch(tenant, { leads: [coldLead], priority })).json<Body>().batch_id);
        const jobs = await t.deps.database.db
          .selectFrom('jobs')
          .select(['payload', 'priority'])
          .where('tenant_id', '=', tenant.id)
          .where('type', '=', 'batch.process')
          .execute();
        const priorityOf = (id: string) => jobs.find((j) => String(j.payload).includes(id))?.priority;
        expect(priorityOf(ids[1])).toBeGreaterThan(priorityOf(ids[0])!);
        for (const id of ids) await settled(tenant, id);
      });

      it.each([
        ['free', 25],
        ['pro', 500],
        ['enterprise', 5000],
      ])('refuses more leads than the %s plan allows (%i) with 400 naming the limit', async (plan, limit) => {
        const tenant = await t.createTenant({ plan });
        const lead = { email: 'a@b.co', company: 'B' };
        const res = await batch(tenant, { leads: Array.from({ length: limit + 1 }, () => lead) });
        expect(res.statusCode, res.body).toBe(400);
        expect(res.headers['retry-after']).toBeUndefined();
        const { error } = res.json<Body>();
        expect(error).toMatchObject({ code: 'VALIDATION_ERROR', details: { field: 'leads', limit, plan } });
        expect(error.message).toContain(`at most ${limit} leads on the ${plan} plan`);
      });

      it('refuses a second concurrent batch on the free plan with 429, and accepts one once the first is done', async () => {
        const tenant = await t.createTenant({ plan: 'free' });
        await t.deps.queue.stop(1000);
        try {
          const first = await batch(tenant, { leads: [coldLead] });
          expect(first.statusCode).toBe(202);
          const second = await batch(tenant, { leads: [coldLead] });
          expect(second.statusCode).toBe(429);
          expect(Number(second.headers['retry-after'])).toBeGreaterThan(0);
          expect(second.json<Body>().error).toMatchObject({
            code: 'RATE_LIMITED',
            details: { limit: 1, plan: 'free' },
          });
        } finally {
          await t.deps.queue.start();
        }
        await waitFor(async () => (await t.deps.queue.idle(100)) || undefined);
        const third = await batch(tenant, { leads: [coldLead] });
        expect(third.statusCode, third.body).toBe(202);
      });

      it('validates the batch body', async () => {
        const tenant = await app.createTenant();
        for (const [payload, field] of [
          [{ leads: [] }, 'leads'],
          [{ leads: [hotLead], priority: 'urgent' }, 'priority'],
          [{ leads: [hotLead], webhook_url: 'not a url' }, 'webhook_url'],
        ] as const) {
          const res = await batch(tenant, payload);
          expect(res.statusCode, res.body).toBe(400);
          expect(res.json<Body>().error.details.field).toBe(field);
        }
      });

      it('answers 404 for an unknown batch', async () => {
        const tenant = await app.createTenant();
        const res = await status(tenant, 'batch_unknown');
        expect(res.statusCode).toBe(404);
        expect(res.json<Body>().error.code).toBe('NOT_FOUND');
      });
    });

    describe('GET /api/analytics', () => {
      it('is computed from stored leads, with conversion from leads marked won', async () => {
        const tenant = await app.createTenant();
        const ids = [];
        for (const lead of [
          hotLead,
          coldLead,
          { email: 'ops@fabrikam.com', company: 'Fabrikam', message: 'Looking at options for next year, maybe' },
        ]) {
          ids.push((await qualify(tenant, lead)).json<Body>());
        }
        const won = await t.app.inject({
          method: 'POST',
          url: `/api/qualify/${ids[0].id}/outcome`,
          headers: auth(tenant),
          payload: { outcome: 'won' },
        });
        expect(won.statusCode, won.body).toBe(200);

        const res = await t.app.inject({ method: 'GET', url: '/api/analytics', headers: auth(tenant) });
        expect(res.statusCode, res.body).toBe(200);
        const body: Body = res.json();
        const tiers = { HOT: 0, WARM: 0, COLD: 0 } as Record<string, number>;
        for (const q of ids) tiers[q.tier] = (tiers[q.tier] ?? 0) + 1;
        const today = new Date().toISOString().slice(0, 10);
        expect(body).toMatchObject({ period: '30d', total_leads: 3, by_tier: tiers, conversion_rate: 0.3333 });
        expect(body.avg_score).toBeCloseTo(ids.reduce((s, q) => s + q.score, 0) / 3, 1);
        expect(body.group_by).toBe('day');
        expect(body.avg_processing_time_ms).toBe(Math.round(ids.reduce((s, q) => s + q.processing_time_ms, 0) / 3));
        expect(body.daily_breakdown).toEqual([
          { date: today, leads: 3, hot: tiers.HOT, warm: tiers.WARM, cold: tiers.COLD },
        ]);

        const monthly: Body = (
          await t.app.inject({ method: 'GET', url: '/api/analytics?period=all&group_by=month', headers: auth(tenant) })
        ).json();
        expect(monthly.daily_breakdown).toEqual([
          { date: today.slice(0, 7), leads: 3, hot: tiers.HOT, warm: tiers.WARM, cold: tiers.COLD },
        ]);
      });

      it('answers zeros for a tenant with no leads, and 400 for an unknown period', async () => {
        const tenant = await app.createTenant();
        const empty: Body = (
          await t.app.inject({ method: 'GET', url: '/api/analytics?period=7d', headers: auth(tenant) })
        ).json();
        expect(empty).toMatchObject({
          period: '7d',
          total_leads: 0,
          by_tier: { HOT: 0, WARM: 0, COLD: 0 },
          avg_score: 0,
          conversion_rate: 0,
          daily_breakdown: [],
        });
        const bad = await t.app.inject({ method: 'GET', url: '/api/analytics?period=1y', headers: auth(tenant) });
        expect(bad.statusCode).toBe(400);
        expect(bad.json<Body>().error.details.field).toBe('period');
      });
    });

    describe('tenant isolation', () => {
      const createLead = async (a: TestApp, owner: Tenant) =>
        (
          await a.app.inject({ method: 'POST', url: '/api/qualify', headers: auth(owner), payload: hotLead })
        ).json<Body>().id as string;
      const createBatch = async (a: TestApp, owner: Tenant) => {
        const id = (
          await a.app.inject({
            method: 'POST',
            url: '/api/batch/qualify',
            headers: auth(owner),
            payload: { leads: [coldLead] },
          })
        ).json<Body>().batch_id as string;
        await waitFor(
          async () =>
            (await a.app.inject({ method: 'GET', url: `/api/batch/${id}/status`, headers: auth(owner) })).json<Body>()
              .status === 'completed',
        );
        await a.deps.queue.idle(5_000);
        return id;
      };
      itIsolatesTenants(
        () => app,
        [
          { method: 'GET', path: '/api/qualify/:object', createObject: createLead },
          {
            method: 'POST',
            path: '/api/qualify/:object/outcome',
            payload: { outcome: 'won' },
            createObject: createLead,
          },
          { method: 'GET', path: '/api/batch/:object/status', createObject: createBatch },
        ],
      );

      it('keeps tenant B’s analytics free of tenant A’s leads', async () => {
        const a = await app.createTenant();
        const b = await app.createTenant();
        await qualify(a, hotLead);
        const body: Body = (await t.app.inject({ method: 'GET', url: '/api/analytics', headers: auth(b) })).json();
        expect(body.total_leads).toBe(0);
      });

      it('gives tenant B a lead of its own for the same e-mail, leaving A’s untouched', async () => {
        const a = await app.createTenant();
        const b = await app.createTenant();
        const mine: Body = (await qualify(a, hotLead)).json();
        const theirs: Body = (await qualify(b, { ...hotLead, message: 'just looking' })).json();
        expect(theirs.id).not.toBe(mine.id);
        const again: Body = (
          await t.app.inject({ method: 'GET', url: `/api/qualify/${mine.id}`, headers: auth(a) })
        ).json();
        expect(again.score_history).toHaveLength(1);
      });
    });
  });
}
