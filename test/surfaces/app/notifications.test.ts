import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSlackFake, type SlackFake } from '../../fakes/slack.fake.js';
import { startWebhookReceiver } from '../../fakes/webhook-receiver.fake.js';
import { startTestApp, type TestApp } from '../../helpers/app.js';
import { seedConversation } from '../../helpers/conversations.js';
import { dialects } from '../../helpers/db.js';
import { outbox, signedInUser, settleDueJobs, transferAndSettle } from './app-session.js';

type Body = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- response bodies are read field by field
type Tenant = Awaited<ReturnType<TestApp['createTenant']>>;

const BASE = 'https://desk.example.com';

describe.each(dialects)('people told of handoffs on $label', ({ dialect, skip }) => {
  let t: TestApp;
  let slack: SlackFake;

  beforeAll(async () => {
    if (skip) return;
    slack = await startSlackFake();
    t = await startTestApp({ dialect, env: { PUBLIC_BASE_URL: BASE } });
    await t.startWorkers();
  });
  afterAll(async () => {
    if (skip) return;
    await t.close();
    await slack.close();
  });

  const transfer = (tenant: Tenant, conversationId: string, body: object) =>
    transferAndSettle(t, tenant, conversationId, body);
  const settle = () => settleDueJobs(t);
  const mailTo = (address: string) => outbox(t).filter((m) => m.to.includes(address));
  /** The wait limit's job is due now: as if its minutes had passed. */
  const passWaitLimit = async () => {
    await t.deps.database.db
      .updateTable('jobs')
      .set({ run_at: new Date(Date.now() - 1000).toISOString() })
      .where('type', '=', 'handoff.wait_limit')
      .where('status', '=', 'queued')
      .execute();
    await settle();
  };

  describe.skipIf(skip)('a handoff', () => {
    it('e-mails the tenant’s agents the briefing and a link, and posts the same to the Slack webhook', async () => {
      const tenant = await t.createTenant({
        name: 'Acme Heating',
        configuration: { notifications: { slack_webhook_url: slack.webhookUrl } },
      });
      await signedInUser(t, tenant.id, { email: 'ann@acme.example', role: 'agent' });
      await signedInUser(t, tenant.id, { email: 'bob@acme.example', role: 'agent' });
      await signedInUser(t, tenant.id, { email: 'viv@acme.example', role: 'viewer' });
      const id = await seedConversation(t.deps.database.db, tenant.id, {
        messages: [{ sender: 'customer', text: 'My boiler is leaking' }],
      });
      const before = slack.posts.length;
      await transfer(tenant, id, {
        transfer_reason: 'boiler_leak',
        transfer_note: 'Leak under the boiler, wants today',
      });

      const link = `${BASE}/app/conversations/${id}`;
      for (const agent of ['ann@acme.example', 'bob@acme.example']) {
        const [mail] = mailTo(agent);
        expect(mail?.subject).toBe('[Acme Heating] A customer is waiting for a person');
        expect(mail?.text).toContain(link);
        expect(mail?.text).toContain('Leak under the boiler, wants today');
      }
      expect(mailTo('viv@acme.example')).toHaveLength(0);
      const posts = slack.posts.slice(before);
      expect(posts).toHaveLength(1);
      const text = (posts[0]?.payload as { text: string }).text;
      expect(text).toContain(link);
      expect(text).toContain('Leak under the boiler, wants today');
    });

    it('tells only the assignee when the handoff names one, and the owner when the tenant has no agents', async () => {
      const tenant = await t.createTenant();
      const { userId } = await signedInUser(t, tenant.id, { email: 'named@team.example', role: 'agent' });
      await signedInUser(t, tenant.id, { email: 'other@team.example', role: 'agent' });
      const id = await seedConversation(t.deps.database.db, tenant.id);
      await transfer(tenant, id, { agent_id: userId, transfer_note: 'for you' });
      expect(mailTo('named@team.example')).toHaveLength(1);
      expect(mailTo('other@team.example')).toHaveLength(0);

      const solo = await t.createTenant({ configuration: { notifications: { owner_email: 'owner@solo.example' } } });
      const soloId = await seedConversation(t.deps.database.db, solo.id);
      await transfer(solo, soloId, { transfer_note: 'nobody else here' });
      expect(mailTo('owner@solo.example')[0]?.text).toContain('nobody else here');
    });
  });

  describe.skipIf(skip)('the wait limit', () => {
    it('tells the owner and gives the visitor an honest time when nobody took the handoff', async () => {
      const tenant = await t.createTenant({
        name: 'Slow Co',
        configuration: {
          notifications: { owner_email: 'boss@slow.example', wait_limit_minutes: 5, answer_within_minutes: 180 },
        },
      });
      const id = await seedConversation(t.deps.database.db, tenant.id, { channel: 'web' });
      await transfer(tenant, id, { transfer_note: 'needs a quote' });
      const job = await t.deps.database.db
        .selectFrom('jobs')
        .select(['run_at', 'created_at'])
        .where('tenant_id', '=', tenant.id)
        .where('type', '=', 'handoff.wait_limit')
        .executeTakeFirstOrThrow();
      expect(Date.parse(job.run_at) - Date.parse(job.created_at)).toBeGreaterThanOrEqual(5 * 60_000 - 1000);
      expect(mailTo('boss@slow.example')).toHaveLength(1);

      await passWaitLimit();
      const escalation = mailTo('boss@slow.example').find((m) => m.subject.includes('Nobody took a handoff'));
      expect(escalation?.subject).toBe('[Slow Co] Nobody took a handoff in 5 minutes');
      expect(escalation?.text).toContain(`${BASE}/app/conversations/${id}`);
      const res = await t.app.inject({
        method: 'GET',
        url: `/api/v2/conversations/${id}?include_messages=true`,
        headers: { 'x-api-key': tenant.apiKey },
      });
      const messages = res.json<Body>().data.messages as { sender: string; content: { text: string } }[];
      expect(messages.at(-1)?.content.text).toContain('within about 3 hours');
    });

    it('stays quiet when someone took the conversation over in time', async () => {
      const tenant = await t.createTenant({ configuration: { notifications: { owner_email: 'calm@quick.example' } } });
      const { browser } = await signedInUser(t, tenant.id, { email: 'quick@quick.example', role: 'agent' });
      const id = await seedConversation(t.deps.database.db, tenant.id);
      await transfer(tenant, id, {});
      const took = await t.app.inject({
        method: 'POST',
        url: `/app/api/conversations/${id}/takeover`,
        headers: browser.write,
      });
      expect(took.statusCode, took.body).toBe(200);
      await passWaitLimit();
      expect(mailTo('calm@quick.example').filter((m) => m.subject.includes('Nobody took'))).toHaveLength(0);
    });
  });
  describe.skipIf(skip)('owner notices', () => {
    const hotLead = {
      email: 'dana.whitfield@northwind-logistics.com',
      company: 'Northwind Logistics',
      name: 'Dana Whitfield',
      message:
        'We are a 120-person sales team evaluating lead scoring software. Budget approved at $40,000 this quarter; we need a demo this week and want to sign by end of month.',
      source: 'website_form',
    };
    const qualify = (tenant: Tenant, payload: object) =>
      t.app.inject({ method: 'POST', url: '/api/qualify', headers: { 'x-api-key': tenant.apiKey }, payload });

    it('tells the owner once when a lead turns HOT, with a link, by e-mail and Slack', async () => {
      const tenant = await t.createTenant({
        name: 'Northwind Sales',
        admin_user: { email: 'owner@northwind.example' },
        configuration: { notifications: { slack_webhook_url: slack.webhookUrl } },
      });
      const before = slack.posts.length;
      const res = await qualify(tenant, hotLead);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json<Body>().tier).toBe('HOT');
      await settle();
      const [mail, ...more] = mailTo('owner@northwind.example').filter((m) => m.subject.includes('HOT lead'));
      expect(more).toHaveLength(0);
      expect(mail?.subject).toMatch(/^\[Northwind Sales\] HOT lead: Dana Whitfield \(score \d+\)$/);
      expect(mail?.text).toContain(`${BASE}/app/leads/${res.json<Body>().id as string}`);
      expect(
        slack.posts
          .slice(before)
          .map((p) => (p.payload as { text: string }).text)
          .join(),
      ).toContain('HOT lead');

      await qualify(tenant, hotLead);
      await settle();
      expect(mailTo('owner@northwind.example').filter((m) => m.subject.includes('HOT lead'))).toHaveLength(1);
    });

    it('tells the owner when a webhook endpoint is disabled after its receiver answered 410 Gone', async () => {
      const receiver = await startWebhookReceiver();
      try {
        const tenant = await t.createTenant({ name: 'Hooked', admin_user: { email: 'owner@hooked.example' } });
        const created = await t.app.inject({
          method: 'POST',
          url: '/api/webhooks',
          headers: { authorization: `Bearer ${tenant.apiKey}` },
          payload: { url: receiver.url, events: ['lead.qualified'] },
        });
        expect(created.statusCode, created.body).toBe(201);
        receiver.reply({ status: 410, body: 'gone' });
        await t.deps.services.webhooks.emit(tenant.id, 'lead.qualified', { id: 'lead_1', email: 'a@b.example' });
        await receiver.waitFor(1);
        await settle();
        const [mail] = mailTo('owner@hooked.example').filter((m) => m.subject.includes('webhook'));
        expect(mail?.subject).toBe('[Hooked] A webhook was disabled');
        expect(mail?.text).toContain(receiver.url);
        expect(mail?.text).toContain('410');
      } finally {
        await receiver.close();
      }
    });

    it('sends nothing for a HOT lead when the tenant turned that notice off', async () => {
      const tenant = await t.createTenant({
        admin_user: { email: 'quiet@northwind.example' },
        configuration: { notifications: { events: { hot_lead: false } } },
      });
      expect((await qualify(tenant, hotLead)).json<Body>().tier).toBe('HOT');
      await settle();
      expect(mailTo('quiet@northwind.example').filter((m) => m.subject.includes('HOT lead'))).toHaveLength(0);
    });
  });
});
