import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../src/store/db.js';
import { analysis } from '../../engine/dialog/fixtures.js';
import { startTestApp, type TestApp } from '../../helpers/app.js';
import { dialects } from '../../helpers/db.js';

type Tenant = Awaited<ReturnType<TestApp['createTenant']>>;
/** JSON as the API answered it. */
type Body = ReturnType<typeof JSON.parse>;

const DAY_MS = 86_400_000;

/** A small deterministic generator (mulberry32), so every run seeds the same outcomes. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface SeedLead {
  id: string;
  email: string;
  niche: string;
  city: string;
  source: string;
  outcome: 'won' | 'lost' | 'booked' | 'stale';
  /** The engine's rule score stored on the lead. */
  score: number;
  createdAt: string;
}

/**
 * Leads written straight to the store with their outcomes: spec B's lead routes (which set niche
 * and city) are another feature, and the training reads only what the store holds.
 */
async function seedLeads(db: Db, tenantId: string, leads: readonly SeedLead[]): Promise<void> {
  for (const l of leads) {
    const a = analysis({ score: l.score, tier: l.score >= 80 ? 'HOT' : l.score >= 50 ? 'WARM' : 'COLD' });
    await db
      .insertInto('leads')
      .values({
        id: l.id,
        tenant_id: tenantId,
        email: l.email,
        name: null,
        company: 'Seeded',
        phone: null,
        message: null,
        source: l.source,
        metadata: '{}',
        status: l.outcome === 'won' || l.outcome === 'lost' ? l.outcome : 'new',
        score: l.score,
        tier: a.tier,
        intent: a.intent,
        recommended_action: a.recommended_action,
        analysis: JSON.stringify(a),
        enrichment: null,
        processing_time_ms: 1,
        qualified_at: l.createdAt,
        won_at: l.outcome === 'won' ? l.createdAt : null,
        contact_id: null,
        niche: l.niche,
        city: l.city,
        category: null,
        created_at: l.createdAt,
        updated_at: l.createdAt,
        livemode: 1,
      })
      .execute();
    if (l.outcome === 'booked') {
      await db
        .insertInto('appointment_requests')
        .values({
          id: `appt_${l.id}`,
          tenant_id: tenantId,
          conversation_id: null,
          contact_id: null,
          lead_id: l.id,
          preferred_time: null,
          requested_start: null,
          requested_end: null,
          fields: '{}',
          status: 'completed',
          created_at: l.createdAt,
          updated_at: l.createdAt,
        })
        .execute();
    }
  }
}

/**
 * 300 leads where only the niche predicts conversion: solar converts 80% of the time, the other
 * niches 10%; city, source, first-contact time and the stored rule score are noise.
 */
function solarOutcomes(prefix: string, seed = 7): SeedLead[] {
  const next = random(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)]!;
  const now = Date.now();
  return Array.from({ length: 300 }, (_, i) => {
    const niche = next() < 0.3 ? 'solar' : pick(['roofing', 'hvac', 'plumbing']);
    const converted = next() < (niche === 'solar' ? 0.8 : 0.1);
    const kind = next();
    const outcome = converted ? (kind < 0.7 ? 'won' : 'booked') : kind < 0.6 ? 'lost' : 'stale';
    return {
      id: `lead_${prefix}_${String(i).padStart(4, '0')}`,
      email: `${prefix}${i}@example.com`,
      niche,
      city: pick(['Austin', 'Denver', 'Tampa', 'Reno']),
      source: pick(['website_form', 'api', 'webhook']),
      outcome,
      score: 20 + Math.floor(next() * 70),
      createdAt: new Date(now - (40 + next() * 50) * DAY_MS).toISOString(),
    } satisfies SeedLead;
  });
}

for (const { dialect, label, skip } of dialects) {
  describe.skipIf(skip)(`spec B ML training on ${label}`, () => {
    let t: TestApp;
    let workersStarted = false;

    beforeAll(async () => {
      t = await startTestApp({ dialect });
    });
    afterAll(async () => {
      await t.close();
    });

    /** Tenants on enterprise, so the free plan's rate limit never cuts a test short. */
    const tenant = () => t.createTenant({ plan: 'enterprise' });
    const key = (x: Tenant) => ({ 'x-api-key': x.apiKey });
    const get = (x: Tenant, url: string) => t.app.inject({ method: 'GET', url, headers: key(x) });
    const trigger = (x: Tenant) => t.app.inject({ method: 'POST', url: '/api/ml/training/trigger', headers: key(x) });

    /** Starts the job workers once; the first test needs them stopped to see a run wait in line. */
    async function train(x: Tenant): Promise<Body> {
      if (!workersStarted) {
        await t.deps.queue.start();
        workersStarted = true;
      }
      const res = await trigger(x);
      expect(res.statusCode, res.body).toBe(202);
      expect(await t.deps.queue.idle(30_000)).toBe(true);
      return (await get(x, '/api/ml/training/status')).json();
    }

    it('answers 202 with a queued run, and a second trigger while it waits returns that run', async () => {
      const a = await tenant();
      const first = await trigger(a);
      expect(first.statusCode, first.body).toBe(202);
      const run: Body = first.json();
      expect(run).toMatchObject({ status: 'queued', started_at: null, finished_at: null, samples: null });
      expect(run.run_id).toMatch(/^mlrun_/);
      const second = await trigger(a);
      expect(second.statusCode).toBe(202);
      expect(second.json().run_id).toBe(run.run_id);
      const status: Body = (await get(a, '/api/ml/training/status')).json();
      expect(status).toMatchObject({ status: 'queued', latest_run: { run_id: run.run_id }, model: null });
      expect(status.last_requested_at).toBe(run.requested_at);
    });

    it('reports not_trained and no model before the first trigger', async () => {
      const a = await tenant();
      const status = await get(a, '/api/ml/training/status');
      expect(status.statusCode).toBe(200);
      expect(status.json()).toEqual({
        status: 'not_trained',
        latest_run: null,
        model: null,
        last_requested_at: null,
        last_finished_at: null,
        last_success_at: null,
        minimum: { labeled: 30, per_class: 5 },
      });
      const perf = await get(a, '/api/ml/performance');
      expect(perf.statusCode).toBe(200);
      expect(perf.json()).toMatchObject({ model_available: false, model: null, rules: null, top_features: null });
      expect(perf.json().message).toContain('POST /api/ml/training/trigger');
    });

    it('ends a run with too few outcomes as insufficient_data, saying how many more it needs', async () => {
      const a = await tenant();
      const leads = solarOutcomes('few').slice(0, 40);
      // 3 converted and 9 not: 12 labeled; the other leads are open and recent, so unlabeled.
      const few = [
        ...leads.slice(0, 3).map((l) => ({ ...l, outcome: 'won' as const })),
        ...leads.slice(3, 12).map((l) => ({ ...l, outcome: 'lost' as const })),
        ...leads.slice(12, 20).map((l) => ({ ...l, outcome: 'stale' as const, createdAt: new Date().toISOString() })),
      ];
      await seedLeads(t.deps.database.db, a.id, few);
      const status = await train(a);
      expect(status.status).toBe('insufficient_data');
      expect(status.latest_run.samples).toMatchObject({ labeled: 12, positives: 3, negatives: 9 });
      expect(status.latest_run.needs).toEqual({ labeled: 18, positives: 2, negatives: 0 });
      expect(status.latest_run.message).toContain('needs 18 more labeled leads, 2 more converted');
      expect(status.model).toBeNull();
      expect((await get(a, '/api/ml/performance')).json().model_available).toBe(false);
    });

    it('finds the one feature that predicts conversion, beats the rules on held-out leads and blends into qualify', async () => {
      const a = await tenant();
      const leads = solarOutcomes('solar');
      await seedLeads(t.deps.database.db, a.id, leads);
      const status = await train(a);
      expect(status.status, JSON.stringify(status)).toBe('succeeded');
      const samples = status.latest_run.samples;
      expect(samples.labeled).toBe(300);
      expect(samples.train + samples.held_out).toBe(300);
      expect(samples.held_out).toBeGreaterThan(60);
      expect(samples.held_out).toBeLessThan(120);
      expect(status.model).toMatchObject({ run_id: status.latest_run.run_id, blending: true });
      expect(status.last_success_at).toBe(status.latest_run.finished_at);

      const perf: Body = (await get(a, '/api/ml/performance')).json();
      expect(perf.model_available).toBe(true);
      expect(perf.top_features[0].feature).toBe('niche=solar');
      expect(perf.top_features[0].weight).toBeGreaterThan(0);
      expect(perf.model.auc).toBeGreaterThanOrEqual(0.75);
      expect(perf.model.auc).toBeGreaterThan(perf.rules.auc + 0.02);
      expect(perf.model.brier).toBeLessThan(perf.rules.brier);
      expect(perf.held_out.total).toBe(samples.held_out);
      expect(perf.held_out.positives + perf.held_out.negatives).toBe(samples.held_out);
      expect(perf.hot_threshold).toBe(80);
      expect(perf.blending).toMatchObject({ active: true, auc_margin: 0.02, model_share: 0.5 });
      const binned = perf.model.reliability.reduce((n: number, b: { count: number }) => n + b.count, 0);
      expect(binned).toBe(samples.held_out);

      const solarLead = leads.find((l) => l.niche === 'solar')!;
      const qualified = await t.app.inject({
        method: 'POST',
        url: '/api/qualify',
        headers: { authorization: `Bearer ${a.apiKey}` },
        payload: { email: solarLead.email, company: 'Sunny Roofs', message: 'We want solar panels quoted.' },
      });
      expect(qualified.statusCode, qualified.body).toBe(200);
      expect(qualified.json().reasoning).toContain(
        `Blended with this business's conversion model (AUC ${perf.model.auc.toFixed(2)} vs rules ${perf.rules.auc.toFixed(2)})`,
      );
    });

    it("keeps one tenant's runs, model and figures from another", async () => {
      const a = await tenant();
      const b = await tenant();
      await seedLeads(t.deps.database.db, a.id, solarOutcomes('iso', 11));
      const trained = await train(a);
      expect(trained.status).toBe('succeeded');

      const bStatus: Body = (await get(b, '/api/ml/training/status')).json();
      expect(bStatus).toMatchObject({ status: 'not_trained', latest_run: null, model: null });
      expect((await get(b, '/api/ml/performance')).json().model_available).toBe(false);

      // B's own training reads none of A's leads.
      const bTrained = await train(b);
      expect(bTrained.status).toBe('insufficient_data');
      expect(bTrained.latest_run.samples).toMatchObject({ labeled: 0 });
      expect(bTrained.latest_run.run_id).not.toBe(trained.latest_run.run_id);

      // And B's qualify of the same e-mail is scored by the rules alone.
      const email = solarOutcomes('iso', 11).find((l) => l.niche === 'solar')!.email;
      const qualified = await t.app.inject({
        method: 'POST',
        url: '/api/qualify',
        headers: { authorization: `Bearer ${b.apiKey}` },
        payload: { email, company: 'Sunny Roofs', message: 'We want solar panels quoted.' },
      });
      expect(qualified.statusCode, qualified.body).toBe(200);
      expect(qualified.json().reasoning).not.toContain('conversion model');
      const aStatus: Body = (await get(a, '/api/ml/training/status')).json();
      expect(aStatus.latest_run.run_id).toBe(trained.latest_run.run_id);
    });

    it.each([
      ['GET', '/api/ml/training/status'],
      ['POST', '/api/ml/training/trigger'],
      ['GET', '/api/ml/performance'],
    ] as const)('refuses %s %s without a valid tenant key, in spec B’s envelope', async (method, url) => {
      const missing = await t.app.inject({ method, url });
      expect(missing.statusCode).toBe(401);
      expect(missing.json().error).toMatchObject({ code: 'AUTHENTICATION_ERROR', details: {} });
      expect(missing.json().error.request_id).toMatch(/^req_/);
      const wrong = await t.app.inject({ method, url, headers: { 'x-api-key': 'fd_live_not_a_real_key_000000' } });
      expect(wrong.statusCode).toBe(401);
      expect(wrong.json().error.code).toBe('AUTHENTICATION_ERROR');
      const admin = await t.app.inject({ method, url, headers: t.adminHeaders });
      expect(admin.statusCode).toBe(403);
      expect(admin.json().error.code).toBe('AUTHORIZATION_ERROR');
    });

    it('answers a wrong method with 405 and an unknown ML path with 404, in spec B’s envelope', async () => {
      const a = await tenant();
      const wrongMethod = await t.app.inject({ method: 'DELETE', url: '/api/ml/performance', headers: key(a) });
      expect(wrongMethod.statusCode).toBe(405);
      expect(wrongMethod.json().error.code).toBe('METHOD_NOT_ALLOWED');
      const unknown = await get(a, '/api/ml/models');
      expect(unknown.statusCode).toBe(404);
      expect(unknown.json().error.code).toBe('NOT_FOUND');
    });
  });
}
