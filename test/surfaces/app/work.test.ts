import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../helpers/app.js';
import { seedConversation } from '../../helpers/conversations.js';
import { dialects } from '../../helpers/db.js';
import { browserOf, nextAddress, signedInUser, type Browser } from './app-session.js';

type Body = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- response bodies are read field by field

describe.each(dialects)('web app conversations and leads on $label', ({ dialect, skip }) => {
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
  const post = async (browser: Browser, url: string, payload?: object) => {
    const res = await t.app.inject({ method: 'POST', url, headers: browser.write, ...(payload ? { payload } : {}) });
    return { status: res.statusCode, body: res.json<Body>() };
  };
  const seedLead = async (tenantId: string, lead: { id: string; tier: string; source: string; createdAt: string }) => {
    await db()
      .insertInto('leads')
      .values({
        id: lead.id,
        tenant_id: tenantId,
        email: `${lead.id}@example.com`,
        name: 'Jane Roe',
        company: null,
        phone: null,
        message: 'roof',
        source: lead.source,
        metadata: '{}',
        status: 'qualified',
        score: lead.tier === 'HOT' ? 88 : 40,
        tier: lead.tier,
        intent: 'roofing',
        recommended_action: 'call',
        analysis: null,
        enrichment: null,
        processing_time_ms: 5,
        qualified_at: lead.createdAt,
        won_at: null,
        created_at: lead.createdAt,
        updated_at: lead.createdAt,
      })
      .execute();
  };

  describe.skipIf(skip)('roles', () => {
    it('lets an agent take over, reply, hand back, close and reopen, and a viewer only read', async () => {
      const tenant = await t.createTenant();
      const agent = await signedInUser(t, tenant.id, { email: 'agent@roles.example', role: 'agent' });
      const viewer = await signedInUser(t, tenant.id, { email: 'viewer@roles.example', role: 'viewer' });
      const id = await seedConversation(db(), tenant.id, {
        messages: [{ sender: 'customer', text: 'Can someone call me?' }],
      });

      const seen = await get(viewer.browser, `/app/api/conversations/${id}`);
      expect(seen.status).toBe(200);
      expect(seen.body.data.transcript.map((m: Body) => m.text)).toEqual(['Can someone call me?']);
      for (const action of ['takeover', 'reply', 'handback', 'close', 'reopen']) {
        const refused = await post(
          viewer.browser,
          `/app/api/conversations/${id}/${action}`,
          action === 'reply' ? { text: 'hi' } : {},
        );
        expect(refused.status, action).toBe(403);
        expect(refused.body.error.code).toBe('FORBIDDEN');
      }

      const took = await post(agent.browser, `/app/api/conversations/${id}/takeover`);
      expect(took.status, JSON.stringify(took.body)).toBe(200);
      expect(took.body.data).toMatchObject({ status: 'with_agent', bot_paused: true, assigned_agent_id: agent.userId });
      expect(took.body.data.handoff).toMatchObject({ status: 'accepted', assigned_agent_id: agent.userId });
      const mine = await get(agent.browser, '/app/api/conversations?assignee=me');
      expect(mine.body.data.conversations.map((c: Body) => c.id)).toEqual([id]);
      const replied = await post(agent.browser, `/app/api/conversations/${id}/reply`, { text: 'Calling you now' });
      expect(replied.status).toBe(200);
      expect(replied.body.data.transcript.at(-1)).toMatchObject({ sender: 'agent', text: 'Calling you now' });
      expect((await post(agent.browser, `/app/api/conversations/${id}/handback`)).body.data.bot_paused).toBe(false);
      expect(
        (await post(agent.browser, `/app/api/conversations/${id}/close`, { resolution: 'resolved' })).body.data.status,
      ).toBe('closed');
      expect((await post(agent.browser, `/app/api/conversations/${id}/reopen`)).body.data.status).toBe('active');
    });

    it('filters conversations by status and channel', async () => {
      const tenant = await t.createTenant();
      const { browser } = await signedInUser(t, tenant.id, { email: 'filter@roles.example', role: 'agent' });
      const web = await seedConversation(db(), tenant.id, { channel: 'web' });
      const sms = await seedConversation(db(), tenant.id, { channel: 'sms', status: 'waiting_agent' });
      const bySms = await get(browser, '/app/api/conversations?channel=sms');
      expect(bySms.body.data.conversations.map((c: Body) => c.id)).toEqual([sms]);
      const waiting = await get(browser, '/app/api/conversations?status=waiting_agent');
      expect(waiting.body.data.conversations.map((c: Body) => c.id)).toEqual([sms]);
      const all = await get(browser, '/app/api/conversations');
      expect(all.body.data.total).toBe(2);
      expect(all.body.data.conversations.map((c: Body) => c.id).sort()).toEqual([web, sms].sort());
    });
  });

  describe.skipIf(skip)('leads', () => {
    it('lists the tenant’s leads filtered by tier, source and date, and refuses a role without leads:read', async () => {
      const tenant = await t.createTenant();
      const { browser } = await signedInUser(t, tenant.id, { email: 'sales@leads.example', role: 'agent' });
      await seedLead(tenant.id, {
        id: 'lead_hot_web',
        tier: 'HOT',
        source: 'web_form',
        createdAt: '2026-11-02T10:00:00.000Z',
      });
      await seedLead(tenant.id, {
        id: 'lead_cold_call',
        tier: 'COLD',
        source: 'callrail',
        createdAt: '2026-11-20T10:00:00.000Z',
      });
      const hot = await get(browser, '/app/api/leads?tier=HOT');
      expect(hot.body.data.leads.map((l: Body) => l.id)).toEqual(['lead_hot_web']);
      const calls = await get(browser, '/app/api/leads?source=callrail');
      expect(calls.body.data.leads.map((l: Body) => l.id)).toEqual(['lead_cold_call']);
      const early = await get(browser, '/app/api/leads?from=2026-11-01&to=2026-11-10');
      expect(early.body.data.leads.map((l: Body) => l.id)).toEqual(['lead_hot_web']);
      expect((await get(browser, '/app/api/leads')).body.data.total).toBe(2);

      const viewer = await signedInUser(t, tenant.id, { email: 'look@leads.example', role: 'viewer' });
      expect((await get(viewer.browser, '/app/api/leads')).status).toBe(403);
    });
  });

  describe.skipIf(skip)('a lead', () => {
    it('shows the signals behind the score and the person’s latest conversation, to its own tenant only', async () => {
      const tenant = await t.createTenant();
      const other = await t.createTenant();
      const { browser } = await signedInUser(t, tenant.id, { email: 'rep@lead.example', role: 'agent' });
      const conversationId = await seedConversation(db(), tenant.id, {
        contact: { phone: '+14155550142' },
        messages: [{ sender: 'customer', text: 'our roof leaks' }],
      });
      const qualified = await t.app.inject({
        method: 'POST',
        url: '/api/qualify',
        headers: { authorization: `Bearer ${tenant.apiKey}` },
        payload: {
          email: 'dana@northwind.example',
          phone: '+14155550142',
          company: 'Northwind',
          message: 'We need the whole roof replaced this month, budget $18,000.',
        },
      });
      expect(qualified.statusCode, qualified.body).toBe(200);
      const leadId = qualified.json<Body>().id as string;

      const res = await get(browser, `/app/api/leads/${leadId}`);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      const lead = res.body.data;
      expect(lead).toMatchObject({ id: leadId, company: 'Northwind', conversation_id: conversationId });
      expect(lead.signals.map((s: Body) => s.name)).toEqual(['Company fit', 'Intent', 'Budget', 'Urgency']);
      expect(lead.signals.find((s: Body) => s.name === 'Company fit').detail).toBe('Northwind');
      for (const s of lead.signals) expect(s.points).toBeGreaterThanOrEqual(0);
      expect(lead.signals.find((s: Body) => s.name === 'Budget').points).toBeGreaterThan(0);

      expect((await get(browser, '/app/api/leads/lead_not_there')).status).toBe(404);
      const intruder = await signedInUser(t, other.id, { email: 'admin@other.example', role: 'admin' });
      expect((await get(intruder.browser, `/app/api/leads/${leadId}`)).status).toBe(404);
      const viewer = await signedInUser(t, tenant.id, { email: 'look@lead.example', role: 'viewer' });
      expect((await get(viewer.browser, `/app/api/leads/${leadId}`)).status).toBe(403);
    });
  });

  describe.skipIf(skip)('tenant isolation', () => {
    it('keeps tenant B’s people out of tenant A’s conversations and leads', async () => {
      const a = await t.createTenant();
      const b = await t.createTenant();
      const owner = await t.app.inject({
        method: 'GET',
        url: `/app/login/owner?token=${encodeURIComponent(b.credentials.owner_token)}`,
        remoteAddress: nextAddress(),
      });
      const intruders = [
        (await signedInUser(t, b.id, { email: 'admin@b.example', role: 'admin' })).browser,
        browserOf(owner),
      ];
      const idA = await seedConversation(db(), a.id, { messages: [{ sender: 'customer', text: 'secret of A' }] });
      await seedLead(a.id, { id: 'lead_of_a', tier: 'HOT', source: 'api', createdAt: '2026-11-02T10:00:00.000Z' });
      for (const intruder of intruders) {
        expect((await get(intruder, `/app/api/conversations/${idA}`)).status).toBe(404);
        expect((await get(intruder, '/app/api/conversations')).body.data.total).toBe(0);
        expect((await get(intruder, '/app/api/leads')).body.data.total).toBe(0);
        for (const action of ['takeover', 'handback', 'close', 'reopen'])
          expect((await post(intruder, `/app/api/conversations/${idA}/${action}`, {})).status, action).toBe(404);
        expect((await post(intruder, `/app/api/conversations/${idA}/reply`, { text: 'hi' })).status).toBe(404);
      }
      const untouched = await db()
        .selectFrom('conversations')
        .selectAll()
        .where('id', '=', idA)
        .executeTakeFirstOrThrow();
      expect(untouched.status).toBe('active');
      expect(untouched.bot_paused).toBeFalsy();
    });
  });
});
