import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../../src/lib/ids.js';
import { startTestApp, type TestApp } from '../../helpers/app.js';
import { seedConversation } from '../../helpers/conversations.js';
import { dialects } from '../../helpers/db.js';
import { insertRequest } from '../../helpers/ingestion-fixtures.js';
import { signedInUser, type Browser } from './app-session.js';

type Body = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- response bodies are read field by field

/** 03:00 UTC on 1 December is still 30 November in New York: "today" there. */
const NOW = new Date('2026-12-01T03:00:00.000Z');
const NOVEMBER = '/app/api/analytics?from=2026-11-01&to=2026-11-30';

const plusSeconds = (iso: string, s: number) => new Date(Date.parse(iso) + s * 1000).toISOString();

describe.each(dialects)('web app analytics on $label', ({ dialect, skip }) => {
  let t: TestApp;
  let a: { id: string; owner: Browser };
  let b: { id: string; owner: Browser };

  const db = () => t.deps.database.db;
  const get = async (browser: Browser, url: string) => {
    const res = await t.app.inject({ method: 'GET', url, headers: browser.read });
    return { status: res.statusCode, body: res.json<Body>() };
  };

  const contact = async (tenantId: string) => {
    const id = newId('ct');
    const at = '2026-10-01T00:00:00.000Z';
    await db()
      .insertInto('contacts')
      .values({
        id,
        tenant_id: tenantId,
        name: null,
        phone: null,
        email: null,
        attributes: '{}',
        created_at: at,
        updated_at: at,
      })
      .execute();
    return id;
  };

  const lead = async (
    tenantId: string,
    l: { tier: string; createdAt: string; contactId?: string; wonAt?: string; costUsd?: number },
  ) => {
    const id = newId('lead');
    await db()
      .insertInto('leads')
      .values({
        id,
        tenant_id: tenantId,
        email: `${id}@example.com`,
        name: 'Jane Roe',
        company: null,
        phone: null,
        message: 'roof',
        source: 'web_form',
        metadata: '{}',
        status: 'qualified',
        score: 50,
        tier: l.tier,
        intent: null,
        recommended_action: null,
        analysis: null,
        enrichment: null,
        processing_time_ms: 5,
        qualified_at: l.createdAt,
        won_at: l.wonAt ?? null,
        contact_id: l.contactId ?? null,
        created_at: l.createdAt,
        updated_at: l.createdAt,
      })
      .execute();
    await db()
      .insertInto('lead_scores')
      .values({
        id: newId('score'),
        tenant_id: tenantId,
        lead_id: id,
        score: 50,
        tier: l.tier,
        breakdown: '{}',
        reasoning: '',
        provider: 'openai',
        model: 'gpt-4o-mini',
        cost_usd: l.costUsd ?? 0,
        created_at: l.createdAt,
      })
      .execute();
    return id;
  };

  const appointment = async (
    tenantId: string,
    a: { status: string; createdAt: string; leadId?: string; contactId?: string },
  ) => {
    await db()
      .insertInto('appointment_requests')
      .values({
        id: newId('appt'),
        tenant_id: tenantId,
        conversation_id: null,
        contact_id: a.contactId ?? null,
        lead_id: a.leadId ?? null,
        preferred_time: null,
        requested_start: null,
        requested_end: null,
        fields: '{}',
        status: a.status,
        created_at: a.createdAt,
        updated_at: a.createdAt,
      })
      .execute();
  };

  const transcribed = (tenantId: string, createdAt: string, costUsd: number) =>
    insertRequest(db(), tenantId, {
      created_at: createdAt,
      steps: [
        { step: 'speech_to_text', cost_usd: costUsd },
        { step: 'ai_analysis', cost_usd: 1 },
      ],
    });

  /** Tenant A's November in New York: four leads, two bookings, one transcription, three replies. */
  const seedA = async (tenantId: string) => {
    const c1 = await contact(tenantId);
    await seedConversation(db(), tenantId, { createdAt: '2026-11-02T14:00:00.000Z', contact: {} });
    await db().updateTable('conversations').set({ contact_id: c1 }).where('tenant_id', '=', tenantId).execute();
    await lead(tenantId, { tier: 'HOT', createdAt: '2026-11-02T15:00:00.000Z', contactId: c1, costUsd: 0.002 });
    await appointment(tenantId, { status: 'scheduled', createdAt: '2026-11-02T16:00:00.000Z', contactId: c1 });
    const warm = await lead(tenantId, { tier: 'WARM', createdAt: '2026-11-03T10:00:00.000Z', costUsd: 0.001 });
    await appointment(tenantId, { status: 'requested', createdAt: '2026-11-03T11:00:00.000Z', leadId: warm });
    await lead(tenantId, { tier: 'COLD', createdAt: '2026-11-04T10:00:00.000Z', wonAt: '2026-11-05T10:00:00.000Z' });
    // Late on 30 November in New York, already December in UTC.
    await lead(tenantId, { tier: 'COLD', createdAt: '2026-12-01T02:00:00.000Z' });
    // Early on 1 November in UTC, still October in New York.
    await lead(tenantId, { tier: 'HOT', createdAt: '2026-11-01T03:00:00.000Z', costUsd: 0.5 });
    await transcribed(tenantId, '2026-11-10T12:00:00.000Z', 0.012);
    const start = '2026-11-20T12:00:00.000Z';
    await seedConversation(db(), tenantId, {
      createdAt: start,
      messages: [
        { sender: 'customer', text: 'Hello?', at: start },
        { sender: 'bot', text: 'Hi, how can I help?', at: plusSeconds(start, 4) },
        { sender: 'customer', text: 'A person please', at: plusSeconds(start, 60) },
        { sender: 'customer', text: 'Anyone?', at: plusSeconds(start, 70) },
        { sender: 'system', text: 'Handed to an agent', at: plusSeconds(start, 80) },
        { sender: 'agent', text: 'Here now', at: plusSeconds(start, 130) },
        { sender: 'customer', text: 'Thanks', at: plusSeconds(start, 200) },
        { sender: 'bot', text: 'Glad to help', at: plusSeconds(start, 210) },
      ],
    });
  };

  /** Tenant B's busy November: everything it stores must stay out of A's figures. */
  const seedB = async (tenantId: string) => {
    const c = await contact(tenantId);
    for (const tier of ['HOT', 'HOT', 'WARM']) {
      const id = await lead(tenantId, { tier, createdAt: '2026-11-05T12:00:00.000Z', contactId: c, costUsd: 5 });
      await appointment(tenantId, { status: 'confirmed', createdAt: '2026-11-25T12:00:00.000Z', leadId: id });
    }
    await transcribed(tenantId, '2026-11-06T12:00:00.000Z', 3);
    const start = '2026-11-07T12:00:00.000Z';
    await seedConversation(db(), tenantId, {
      createdAt: start,
      messages: [
        { sender: 'customer', text: 'Hi', at: start },
        { sender: 'bot', text: 'Slow answer', at: plusSeconds(start, 5000) },
      ],
    });
  };

  beforeAll(async () => {
    if (skip) return;
    t = await startTestApp({ dialect, clock: { now: () => NOW } });
    const tenantA = await t.createTenant({ timezone: 'America/New_York' });
    const tenantB = await t.createTenant({ timezone: 'America/New_York' });
    a = {
      id: tenantA.id,
      owner: (await signedInUser(t, tenantA.id, { email: 'owner@a.example', role: 'owner' })).browser,
    };
    b = {
      id: tenantB.id,
      owner: (await signedInUser(t, tenantB.id, { email: 'owner@b.example', role: 'owner' })).browser,
    };
    await seedA(a.id);
    await seedB(b.id);
  });
  afterAll(async () => {
    if (!skip) await t.close();
  });

  describe.skipIf(skip)('figures', () => {
    it('counts the funnel, time to book, response times and costs of the tenant’s own rows in its time zone', async () => {
      const res = await get(a.owner, NOVEMBER);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.data).toEqual({
        range: { from: '2026-11-01', to: '2026-11-30', timezone: 'America/New_York' },
        funnel: { leads: 4, qualified: 2, appointment_requested: 3, booked: 2 },
        time_to_book_minutes: { samples: 1, median: 120, p90: 120 },
        response_seconds: {
          bot: { samples: 2, median: 7, p90: 10 },
          human: { samples: 1, median: 70, p90: 70 },
        },
        costs: {
          ai_usd: 0.003,
          stt_usd: 0.012,
          total_usd: 0.015,
          ai_per_lead_usd: 0.00075,
          stt_per_lead_usd: 0.003,
          total_per_lead_usd: 0.00375,
        },
      });
    });

    it('answers the last 30 days of the tenant’s calendar when no range is given', async () => {
      const res = await get(a.owner, '/app/api/analytics');
      expect(res.status).toBe(200);
      expect(res.body.data.range).toEqual({ from: '2026-11-01', to: '2026-11-30', timezone: 'America/New_York' });
      expect(res.body.data.funnel.leads).toBe(4);
    });

    it('gives tenant B its own figures, none of A’s', async () => {
      const res = await get(b.owner, NOVEMBER);
      expect(res.body.data.funnel).toEqual({ leads: 3, qualified: 3, appointment_requested: 3, booked: 3 });
      expect(res.body.data.costs).toMatchObject({ ai_usd: 15, stt_usd: 3 });
      expect(res.body.data.response_seconds.bot).toEqual({ samples: 1, median: 5000, p90: 5000 });
      expect(res.body.data.response_seconds.human).toEqual({ samples: 0, median: null, p90: null });
    });

    it('answers nulls, not NaN, for a range with nothing in it', async () => {
      const res = await get(a.owner, '/app/api/analytics?from=2025-01-01&to=2025-01-31');
      expect(res.body.data.funnel).toEqual({ leads: 0, qualified: 0, appointment_requested: 0, booked: 0 });
      expect(res.body.data.time_to_book_minutes).toEqual({ samples: 0, median: null, p90: null });
      expect(res.body.data.costs).toMatchObject({ ai_usd: 0, ai_per_lead_usd: null, total_per_lead_usd: null });
    });
  });

  describe.skipIf(skip)('refusals', () => {
    it('refuses a range longer than 366 days, naming the field beyond it', async () => {
      const long = await get(a.owner, '/app/api/analytics?from=2025-01-01&to=2026-01-02');
      expect(long.status).toBe(400);
      expect(long.body.error.code).toBe('VALIDATION_ERROR');
      expect(long.body.error.fields).toEqual([expect.objectContaining({ field: 'to' })]);
      const leap = await get(a.owner, '/app/api/analytics?from=2024-01-01&to=2024-12-31');
      expect(leap.status).toBe(200);
      const defaulted = await get(a.owner, '/app/api/analytics?from=2025-11-29');
      expect(defaulted.status).toBe(400);
      expect(defaulted.body.error.fields).toEqual([expect.objectContaining({ field: 'to' })]);
    });

    it('refuses a range that ends before it starts, and a date that is not one', async () => {
      const backwards = await get(a.owner, '/app/api/analytics?from=2026-11-30&to=2026-11-01');
      expect(backwards.status).toBe(400);
      expect(backwards.body.error.fields).toEqual([expect.objectContaining({ field: 'from' })]);
      const garbled = await get(a.owner, '/app/api/analytics?from=2026-13-01');
      expect(garbled.status).toBe(400);
      expect(garbled.body.error.fields).toEqual([expect.objectContaining({ field: 'from' })]);
    });

    it('lets an agent read the figures and refuses a viewer, who lacks leads:read', async () => {
      const agent = await signedInUser(t, a.id, { email: 'agent@a.example', role: 'agent' });
      expect((await get(agent.browser, NOVEMBER)).body.data.funnel.leads).toBe(4);
      const viewer = await signedInUser(t, a.id, { email: 'viewer@a.example', role: 'viewer' });
      const refused = await get(viewer.browser, NOVEMBER);
      expect(refused.status).toBe(403);
      expect(refused.body.error.code).toBe('FORBIDDEN');
      const anonymous = await t.app.inject({ method: 'GET', url: NOVEMBER });
      expect(anonymous.statusCode).toBe(401);
    });
  });
});
