import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { signSlack } from '../../../src/channels/slack.js';
import { signTeams } from '../../../src/channels/teams.js';
import { signMeta } from '../../../src/channels/whatsapp.js';
import type { InboundResult } from '../../../src/domain/conversations/index.js';
import { SPEC_WHATSAPP } from '../../channels/fixtures.js';
import { startMessengerFake, type MessengerFake } from '../../fakes/messenger.fake.js';
import { startSlackWebFake, type SlackWebFake } from '../../fakes/slack-web.fake.js';
import { startTelegramFake, type TelegramFake } from '../../fakes/telegram.fake.js';
import { startWhatsAppFake, type WhatsAppFake } from '../../fakes/whatsapp.fake.js';
import { startTestApp, type TestApp } from '../../helpers/app.js';
import { dialects } from '../../helpers/db.js';
import { tenantFootprint } from '../../helpers/isolation.js';

type Tenant = Awaited<ReturnType<TestApp['createTenant']>>;

const TEAMS_TOKEN_A = Buffer.from('teams-token-of-tenant-a-0123456789').toString('base64');
const TEAMS_TOKEN_B = Buffer.from('teams-token-of-tenant-b-0123456789').toString('base64');

async function waitFor<T>(probe: () => Promise<T | undefined> | T | undefined, ms = 8_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > until) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}

let seq = 0;
const uniq = () => `${Date.now()}${(seq += 1)}`;

describe.each(dialects)('spec D channel webhooks on $label', ({ dialect, skip }) => {
  let t: TestApp;
  let wa: WhatsAppFake;
  let fb: MessengerFake;
  let slack: SlackWebFake;
  let tg: TelegramFake;
  let a: Tenant;
  let b: Tenant;
  let noCreds: Tenant;
  let noTemplate: Tenant;

  const channelsFor = (name: 'A' | 'B') => ({
    whatsapp: {
      phone_number_id: `PN_${name}`,
      app_secret: `wa-secret-${name}`,
      access_token: 'EAAG-token',
      verify_token: `verify-${name}`,
      api_base_url: wa.url,
      reengagement_template: { name: 'follow_up', language: 'en_US', include_text: true },
    },
    messenger: {
      page_id: `PAGE_${name}`,
      app_secret: `fb-secret-${name}`,
      access_token: 'PAGE-TOKEN',
      api_base_url: fb.url,
      verify_token: `fb-verify-${name}`,
    },
    slack: {
      team_id: `T_${name}`,
      app_id: `A_${name}`,
      signing_secret: `slack-secret-${name}`,
      bot_token: 'xoxb-123',
      api_base_url: slack.url,
    },
    teams: { security_token: name === 'A' ? TEAMS_TOKEN_A : TEAMS_TOKEN_B },
    telegram: { secret_token: `tg_secret_${name}`, bot_token: '123456:ABC-DEF', api_base_url: tg.url },
  });

  beforeAll(async () => {
    if (skip) return;
    wa = await startWhatsAppFake({ accessToken: 'EAAG-token', phoneNumberId: 'PN_A' });
    fb = await startMessengerFake({ pageAccessToken: 'PAGE-TOKEN' });
    slack = await startSlackWebFake({ botToken: 'xoxb-123' });
    tg = await startTelegramFake({ botToken: '123456:ABC-DEF' });
    t = await startTestApp({ dialect });
    await t.deps.queue.start();
    a = await t.createTenant({
      plan: 'enterprise',
      configuration: {
        channels: channelsFor('A'),
        integrations: { crm_integration_456: { provider: 'custom', webhook_token: 'webhook_token_abc123' } },
      },
    });
    b = await t.createTenant({
      plan: 'enterprise',
      configuration: {
        channels: channelsFor('B'),
        integrations: { crm_integration_456: { provider: 'custom', webhook_token: 'webhook_token_of_b' } },
      },
    });
    noCreds = await t.createTenant({
      plan: 'enterprise',
      configuration: { channels: { whatsapp: { phone_number_id: 'PN_NOCREDS', app_secret: 'wa-secret-N' } } },
    });
    noTemplate = await t.createTenant({
      plan: 'enterprise',
      configuration: {
        channels: {
          whatsapp: {
            phone_number_id: 'PN_A2',
            app_secret: 'wa-secret-A2',
            access_token: 'EAAG-token',
            api_base_url: wa.url,
          },
        },
      },
    });
  });
  afterAll(async () => {
    if (skip) return;
    await t.close();
    await Promise.all([wa.close(), fb.close(), slack.close(), tg.close()]);
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  const db = () => t.deps.database.db;
  const messagesOf = (tenantId: string) =>
    db()
      .selectFrom('messages')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
  const replyTo = (tenantId: string, inboundId: string) =>
    db()
      .selectFrom('messages')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('reply_to_id', '=', inboundId)
      .executeTakeFirst();

  const waPayload = (
    phoneNumberId: string,
    from: string,
    text: string,
    opts: { id?: string; timestamp?: number } = {},
  ) => ({
    object: 'whatsapp_business_account',
    entry: [
      {
        id: 'WABA',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '15551234567', phone_number_id: phoneNumberId },
              contacts: [{ profile: { name: 'Kerry' }, wa_id: from }],
              messages: [
                {
                  from,
                  id: opts.id ?? `wamid.${uniq()}`,
                  timestamp: String(opts.timestamp ?? Math.floor(Date.now() / 1000)),
                  type: 'text',
                  text: { body: text },
                },
              ],
            },
          },
        ],
      },
    ],
  });
  const postMeta = (path: string, body: unknown, secret: string | undefined, query = '') => {
    const raw = JSON.stringify(body);
    return t.app.inject({
      method: 'POST',
      url: `/api/v2/webhooks/${path}${query}`,
      headers: {
        'content-type': 'application/json',
        ...(secret ? { 'x-hub-signature-256': signMeta(secret, raw) } : {}),
      },
      payload: raw,
    });
  };
  const postSlack = (
    body: string,
    contentType: string,
    secret: string,
    opts: { ts?: number; headers?: Record<string, string> } = {},
  ) => {
    const ts = opts.ts ?? Math.floor(Date.now() / 1000);
    return t.app.inject({
      method: 'POST',
      url: '/api/v2/webhooks/slack',
      headers: {
        'content-type': contentType,
        'x-slack-request-timestamp': String(ts),
        'x-slack-signature': signSlack(secret, ts, body),
        ...opts.headers,
      },
      payload: body,
    });
  };
  const postTg = (body: unknown, secret?: string) =>
    t.app.inject({
      method: 'POST',
      url: '/api/v2/webhooks/telegram',
      headers: { 'content-type': 'application/json', ...(secret ? { 'x-telegram-bot-api-secret-token': secret } : {}) },
      payload: body as Record<string, unknown>,
    });
  const slashForm = (fields: Record<string, string>) =>
    new URLSearchParams({
      token: 'verification_token_here',
      team_id: 'T_A',
      team_domain: 'mycompany',
      channel_id: 'C2147483705',
      channel_name: 'general',
      user_id: 'U2147483697',
      user_name: 'john.doe',
      command: '/chatbot',
      api_app_id: 'A_A',
      ...fields,
    }).toString();

  describe('WhatsApp', () => {
    it.skipIf(skip)(
      'takes a 1.5 MB delivery that a 1 MiB limit would refuse, while other routes keep that limit',
      async () => {
        const body = waPayload('PN_A', '15550002222', 'x'.repeat(1_500_000));
        const res = await postMeta('whatsapp', body, 'wa-secret-A');
        expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
        const qualify = await t.app.inject({
          method: 'POST',
          url: '/api/qualify',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${a.apiKey}` },
          payload: JSON.stringify({ message: 'x'.repeat(1_500_000) }),
        });
        expect(qualify.statusCode).toBe(413);
      },
    );

    it.skipIf(skip)(
      "verifies, stores, answers spec D's example and replies through the Cloud API as free-form text inside the window",
      async () => {
        const body = structuredClone(SPEC_WHATSAPP);
        const msg = body.entry[0]!.changes[0]!.value.messages[0]!;
        msg.timestamp = String(Math.floor(Date.now() / 1000));
        body.entry[0]!.changes[0]!.value.metadata.phone_number_id = 'PN_A';
        const res = await postMeta('whatsapp', body, 'wa-secret-A');
        expect(res.statusCode, res.body).toBe(200);
        const data = res.json();
        expect(data).toMatchObject({
          status: 'received',
          message_id: expect.stringMatching(/^msg_/),
          conversation_id: expect.stringMatching(/^conv_/),
          messages_received: 1,
          duplicates: 0,
        });
        expect(data.processing_time_ms).toBeGreaterThanOrEqual(0);
        const stored = (await messagesOf(a.id)).find((m) => m.external_id === 'wamid.abc123def456')!;
        expect(stored).toMatchObject({
          id: data.message_id,
          direction: 'inbound',
          channel: 'whatsapp',
          text: 'Hi, I need help with my order ORD123456',
        });

        const sent = await waitFor(() => wa.requests.find((r) => r.body.to === '1234567890'));
        expect(sent.path).toBe('/v21.0/PN_A/messages');
        expect(sent.headers.authorization).toBe('Bearer EAAG-token');
        expect(sent.body).toMatchObject({
          messaging_product: 'whatsapp',
          recipient_type: 'individual',
          to: '1234567890',
        });
        expect(['text', 'interactive']).toContain(sent.body.type);
        const reply = await waitFor(async () => {
          const r = await replyTo(a.id, data.message_id);
          return r?.external_id ? r : undefined;
        });
        expect(reply).toMatchObject({ status: 'sent', external_id: expect.stringMatching(/^wamid\./) });

        // The same platform delivery again: the first result, nothing processed twice.
        const again = await postMeta('whatsapp', body, 'wa-secret-A');
        expect(again.json()).toMatchObject({ message_id: data.message_id, messages_received: 0, duplicates: 1 });
        await t.deps.queue.idle(5_000);
        expect((await messagesOf(a.id)).filter((m) => m.external_id === 'wamid.abc123def456')).toHaveLength(1);
        expect(wa.requests.filter((r) => r.body.to === '1234567890')).toHaveLength(1);

        // Delivery reports move our outbound row forward (never back).
        const wamid = reply.external_id!;
        const statuses = (list: { status: string; errors?: unknown[] }[]) => ({
          object: 'whatsapp_business_account',
          entry: [
            {
              id: 'WABA',
              changes: [
                {
                  field: 'messages',
                  value: {
                    messaging_product: 'whatsapp',
                    metadata: { display_phone_number: '1', phone_number_id: 'PN_A' },
                    statuses: list.map((s) => ({
                      id: wamid,
                      recipient_id: '1234567890',
                      timestamp: String(Math.floor(Date.now() / 1000)),
                      ...s,
                    })),
                  },
                },
              ],
            },
          ],
        });
        expect(
          (await postMeta('whatsapp', statuses([{ status: 'delivered' }, { status: 'read' }]), 'wa-secret-A')).json(),
        ).toMatchObject({ statuses_applied: 2 });
        expect((await postMeta('whatsapp', statuses([{ status: 'delivered' }]), 'wa-secret-A')).json()).toMatchObject({
          statuses_applied: 0,
        });
        expect((await replyTo(a.id, data.message_id))!.status).toBe('read');
        await postMeta(
          'whatsapp',
          statuses([{ status: 'failed', errors: [{ code: 131026, title: 'Message undeliverable' }] }]),
          'wa-secret-A',
        );
        expect(await replyTo(a.id, data.message_id)).toMatchObject({
          status: 'failed',
          error: '131026 Message undeliverable',
        });
      },
    );

    it.skipIf(skip)(
      "refuses a wrong secret, a missing header, and another tenant's secret, storing nothing",
      async () => {
        const body = waPayload('PN_A', '15550001111', 'hello');
        const before = await tenantFootprint(t, a.id);
        for (const [secret, query] of [
          ['wrong-secret', ''],
          [undefined, ''],
          ['wa-secret-B', ''],
          ['wa-secret-B', `?tenant_id=${a.id}`],
        ] as const) {
          const res = await postMeta('whatsapp', body, secret, query);
          expect(res.statusCode, `${secret} ${query}`).toBe(401);
          expect(res.json()).toMatchObject({
            status: 'error',
            error: { code: 'INVALID_SIGNATURE' },
            meta: { api_version: 'v2' },
          });
        }
        expect(await tenantFootprint(t, a.id)).toEqual(before);
        // Tenant B's own number with B's secret works, and lands in B.
        const own = await postMeta('whatsapp', waPayload('PN_B', '15550001111', 'hello'), 'wa-secret-B');
        expect(own.statusCode).toBe(200);
        expect((await messagesOf(b.id)).some((m) => m.id === own.json().message_id)).toBe(true);
      },
    );

    it.skipIf(skip)(
      'routes by business account when no number is configured, and answers from the number the customer wrote to',
      async () => {
        const waba = await t.createTenant({
          plan: 'enterprise',
          configuration: {
            channels: {
              whatsapp: {
                business_account_id: 'WABA_W',
                app_secret: 'wa-secret-W',
                access_token: 'EAAG-token',
                api_base_url: wa.url,
              },
            },
          },
        });
        const body = waPayload('PN_W', '15557770000', 'hello');
        body.entry[0]!.id = 'WABA_W';
        const res = await postMeta('whatsapp', body, 'wa-secret-W');
        expect(res.statusCode, res.body).toBe(200);
        expect((await messagesOf(waba.id)).some((m) => m.id === res.json().message_id)).toBe(true);
        const sent = await waitFor(() => wa.requests.find((r) => r.body.to === '15557770000'));
        expect(sent.path).toBe('/v21.0/PN_W/messages');
      },
    );

    it.skipIf(skip)("outside the 24-hour window sends the tenant's approved template", async () => {
      const from = `1555${uniq().slice(-7)}`;
      const res = await postMeta(
        'whatsapp',
        waPayload('PN_A', from, 'hello from yesterday', { timestamp: Math.floor(Date.now() / 1000) - 25 * 3600 }),
        'wa-secret-A',
      );
      expect(res.statusCode, res.body).toBe(200);
      const sent = await waitFor(() => wa.requests.find((r) => r.body.to === from));
      expect(sent.body).toMatchObject({
        type: 'template',
        template: {
          name: 'follow_up',
          language: { code: 'en_US' },
          components: [{ type: 'body', parameters: [{ type: 'text' }] }],
        },
      });
      const reply = await waitFor(async () => {
        const r = await replyTo(a.id, res.json().message_id);
        return r?.status === 'sent' ? r : undefined;
      });
      expect(await t.deps.services.channelDelivery.forMessage(a.id, reply.id)).toMatchObject({
        status: 'sent',
        kind: 'template',
      });
    });

    it.skipIf(skip)('outside the window without a template holds the message and says why on it', async () => {
      const from = `1555${uniq().slice(-7)}`;
      const res = await postMeta(
        'whatsapp',
        waPayload('PN_A2', from, 'old news', { timestamp: Math.floor(Date.now() / 1000) - 30 * 3600 }),
        'wa-secret-A2',
      );
      expect(res.statusCode, res.body).toBe(200);
      const reply = await waitFor(async () => {
        const r = await replyTo(noTemplate.id, res.json().message_id);
        return r?.status === 'held' ? r : undefined;
      });
      expect(reply.error).toMatch(/24-hour customer-service window.*no approved template/);
      expect(wa.requests.some((r) => r.body.to === from)).toBe(false);
    });

    it.skipIf(skip)('falls back to the template when WhatsApp itself reports the window closed (131047)', async () => {
      const from = `1555${uniq().slice(-7)}`;
      wa.closeWindow(from);
      await postMeta('whatsapp', waPayload('PN_A', from, 'hi'), 'wa-secret-A');
      const sent = await waitFor(() => {
        const list = wa.requests.filter((r) => r.body.to === from);
        return list.length >= 2 ? list : undefined;
      });
      expect(sent.map((r) => r.body.type)).toEqual([expect.stringMatching(/text|interactive/), 'template']);
    });

    it.skipIf(skip)('without credentials records the reply in the outbox and holds it visibly', async () => {
      const res = await postMeta('whatsapp', waPayload('PN_NOCREDS', '15559990000', 'hello'), 'wa-secret-N');
      expect(res.statusCode, res.body).toBe(200);
      const reply = await waitFor(async () => {
        const r = await replyTo(noCreds.id, res.json().message_id);
        return r?.status === 'held' ? r : undefined;
      });
      expect(reply.error).toMatch(/outbox/);
      const delivery = await t.deps.services.channelDelivery.forMessage(noCreds.id, reply.id);
      expect(delivery).toMatchObject({
        status: 'outbox',
        request: { type: expect.stringMatching(/text|interactive/) },
      });
      expect(wa.requests.some((r) => r.body.to === '15559990000')).toBe(false);
    });
  });

  describe('Messenger', () => {
    const page = (pageId: string, event: Record<string, unknown>) => ({
      object: 'page',
      entry: [
        {
          id: pageId,
          time: Date.now(),
          messaging: [{ sender: { id: 'PSID_77' }, recipient: { id: pageId }, timestamp: Date.now(), ...event }],
        },
      ],
    });

    it.skipIf(skip)('stores a message and a postback once each and replies through the Send API', async () => {
      const res = await postMeta(
        'messenger',
        page('PAGE_A', { message: { mid: `m_${uniq()}`, text: 'Do you do kitchen remodels?' } }),
        'fb-secret-A',
      );
      expect(res.statusCode, res.body).toBe(200);
      const sent = await waitFor(() => fb.requests.find((r) => (r.body.recipient as { id: string }).id === 'PSID_77'));
      expect(sent.path).toBe('/v21.0/me/messages?access_token=PAGE-TOKEN');
      expect(sent.body).toMatchObject({
        recipient: { id: 'PSID_77' },
        messaging_type: 'RESPONSE',
        message: { text: expect.any(String) },
      });
      const postback = page('PAGE_A', {
        postback: { mid: `m_pb_${uniq()}`, title: 'Get Started', payload: 'GET_STARTED' },
      });
      const first = await postMeta('messenger', postback, 'fb-secret-A');
      const second = await postMeta('messenger', postback, 'fb-secret-A');
      expect(first.json().messages_received).toBe(1);
      expect(second.json()).toMatchObject({ messages_received: 0, duplicates: 1, message_id: first.json().message_id });
      const stored = (await messagesOf(a.id)).find((m) => m.id === first.json().message_id)!;
      expect(JSON.parse(stored.metadata)).toMatchObject({ payload: 'GET_STARTED' });
    });

    it.skipIf(skip)("refuses tenant B's secret for tenant A's Page", async () => {
      const res = await postMeta(
        'messenger',
        page('PAGE_A', { message: { mid: `m_${uniq()}`, text: 'x' } }),
        'fb-secret-B',
      );
      expect(res.statusCode).toBe(401);
    });
  });

  describe('Slack', () => {
    it.skipIf(skip)('answers url_verification with the challenge once signed', async () => {
      const body = JSON.stringify({ token: 'x', challenge: 'challenge_abc', type: 'url_verification' });
      const res = await postSlack(body, 'application/json', 'slack-secret-A');
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toEqual({ challenge: 'challenge_abc' });
      expect((await postSlack(body, 'application/json', 'not-a-tenant-secret')).statusCode).toBe(401);
    });

    it.skipIf(skip)('refuses a stale timestamp, a wrong secret and a missing signature', async () => {
      const body = JSON.stringify({
        type: 'event_callback',
        team_id: 'T_A',
        api_app_id: 'A_A',
        event: { type: 'message', channel: 'D1', user: 'U1', text: 'hi', ts: '1.1' },
      });
      const stale = Math.floor(Date.now() / 1000) - 6 * 60;
      expect((await postSlack(body, 'application/json', 'slack-secret-A', { ts: stale })).json()).toMatchObject({
        error: { code: 'INVALID_SIGNATURE', details: { reason: 'stale_timestamp' } },
      });
      expect((await postSlack(body, 'application/json', 'slack-secret-B')).statusCode).toBe(401);
      const missing = await t.app.inject({
        method: 'POST',
        url: '/api/v2/webhooks/slack',
        headers: { 'content-type': 'application/json' },
        payload: body,
      });
      expect(missing.statusCode).toBe(401);
    });

    it.skipIf(skip)('stores a message event, replies with chat.postMessage, and processes a retry once', async () => {
      const ts = `${Math.floor(Date.now() / 1000)}.${uniq().slice(-6)}`;
      const body = JSON.stringify({
        token: 'x',
        team_id: 'T_A',
        api_app_id: 'A_A',
        type: 'event_callback',
        event_id: `Ev${uniq()}`,
        event: {
          type: 'message',
          channel: 'D_SLACK_1',
          user: 'U_SLACK_1',
          text: 'Do you install heat pumps?',
          ts,
          channel_type: 'im',
        },
      });
      const res = await postSlack(body, 'application/json', 'slack-secret-A');
      expect(res.statusCode, res.body).toBe(200);
      const sent = await waitFor(() =>
        slack.requests.find((r) => r.path === '/api/chat.postMessage' && r.body.channel === 'D_SLACK_1'),
      );
      expect(sent.headers.authorization).toBe('Bearer xoxb-123');
      expect(sent.body).toMatchObject({ channel: 'D_SLACK_1', text: expect.any(String), blocks: expect.any(Array) });
      const retry = await postSlack(body, 'application/json', 'slack-secret-A', {
        headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' },
      });
      expect(retry.json()).toMatchObject({ ok: true, duplicate: true });
      expect((await messagesOf(a.id)).filter((m) => m.external_id === `D_SLACK_1:${ts}`)).toHaveLength(1);
      // Our own post coming back as an event is not a customer message.
      const echo = JSON.stringify({
        type: 'event_callback',
        team_id: 'T_A',
        api_app_id: 'A_A',
        event: { type: 'message', channel: 'D_SLACK_1', bot_id: 'B1', text: 'ours', ts: `${ts}1` },
      });
      expect((await postSlack(echo, 'application/json', 'slack-secret-A')).json()).toMatchObject({
        ok: true,
        ignored: 'bot message',
      });
    });

    it.skipIf(skip)(
      "answers a quick slash command inline in spec D's shape, without touching response_url",
      async () => {
        const trigger = `trig.${uniq()}`;
        const res = await postSlack(
          slashForm({
            text: 'help with expense reports',
            response_url: slack.responseUrl(trigger),
            trigger_id: trigger,
          }),
          'application/x-www-form-urlencoded',
          'slack-secret-A',
        );
        expect(res.statusCode, res.body).toBe(200);
        const body = res.json();
        expect(body.response_type).toBe('in_channel');
        expect(typeof body.text).toBe('string');
        expect(body.text.length).toBeGreaterThan(0);
        const stored = (await messagesOf(a.id)).find((m) => m.external_id === `command:${trigger}`)!;
        const reply = await replyTo(a.id, stored.id);
        expect(body.text).toBe(reply!.text);
        expect(reply!.status).toBe('sent');
        expect((await t.deps.services.channelDelivery.forMessage(a.id, reply!.id))!.status).toBe('inline');
        await new Promise((r) => setTimeout(r, 600));
        expect(slack.requests.some((r) => r.path.includes(trigger))).toBe(false);
      },
    );

    it.skipIf(skip)(
      "takes a button tap (block_actions) as its value and answers through the tap's response_url",
      async () => {
        const trigger = `tap.${uniq()}`;
        const payload = {
          type: 'block_actions',
          team: { id: 'T_A', domain: 'mycompany' },
          api_app_id: 'A_A',
          user: { id: 'U_TAP_1', name: 'john' },
          channel: { id: 'C_TAP', name: 'general' },
          trigger_id: trigger,
          response_url: slack.responseUrl(trigger),
          actions: [
            {
              type: 'button',
              action_id: 'quick_reply_0',
              value: 'book',
              text: { type: 'plain_text', text: 'Book a visit' },
            },
          ],
        };
        const res = await postSlack(
          new URLSearchParams({ payload: JSON.stringify(payload) }).toString(),
          'application/x-www-form-urlencoded',
          'slack-secret-A',
        );
        expect(res.statusCode, res.body).toBe(200);
        expect(res.body).toBe('');
        const stored = (await messagesOf(a.id)).find((m) => m.external_id === `action:${trigger}`)!;
        expect(stored.text).toBe('Book a visit');
        expect(JSON.parse(stored.metadata)).toMatchObject({ payload: 'book' });
        const posted = await waitFor(() => slack.requests.find((r) => r.path.includes(trigger)));
        expect(posted.body).toMatchObject({
          response_type: 'in_channel',
          replace_original: false,
          text: (await replyTo(a.id, stored.id))!.text,
        });
      },
    );

    it.skipIf(skip)(
      'acknowledges a slow slash command at once and answers later through response_url',
      async () => {
        const inbox = t.deps.services.inbox;
        const real = inbox.receive.bind(inbox);
        vi.spyOn(inbox, 'receive').mockImplementation(async (tenantId, message): Promise<InboundResult> => {
          await new Promise((r) => setTimeout(r, 3_000));
          return real(tenantId, message);
        });
        const trigger = `trig.${uniq()}`;
        const started = Date.now();
        const res = await postSlack(
          slashForm({ text: 'what are your hours?', response_url: slack.responseUrl(trigger), trigger_id: trigger }),
          'application/x-www-form-urlencoded',
          'slack-secret-A',
        );
        expect(Date.now() - started).toBeLessThan(3_000);
        expect(res.json()).toEqual({ response_type: 'ephemeral', text: 'Working on it…' });
        const late = await waitFor(() => slack.requests.find((r) => r.path.includes(trigger)));
        expect(late.body).toMatchObject({ response_type: 'in_channel', text: expect.any(String) });
        vi.restoreAllMocks();
        await t.deps.queue.idle(8_000);
        expect((await messagesOf(a.id)).filter((m) => m.external_id === `command:${trigger}`)).toHaveLength(1);
        expect(slack.requests.filter((r) => r.path.includes(trigger))).toHaveLength(1);
      },
      20_000,
    );
  });

  describe('Teams', () => {
    const activity = (id: string, text: string) => ({
      type: 'message',
      id,
      timestamp: new Date().toISOString(),
      serviceUrl: 'https://smba.trafficmanager.net/amer/',
      channelId: 'msteams',
      from: { id: '29:1XJKJ', name: 'Megan Bowen', aadObjectId: `aad-${id}` },
      conversation: { isGroup: true, id: '19:abc@thread.skype;messageid=1', conversationType: 'channel' },
      text: `<at>Frontdesk</at> ${text}`,
      channelData: { teamsChannelId: '19:abc@thread.skype', tenant: { id: '72f988bf' } },
    });
    const postTeams = (body: unknown, token: string) => {
      const raw = JSON.stringify(body);
      return t.app.inject({
        method: 'POST',
        url: '/api/v2/webhooks/teams',
        headers: { 'content-type': 'application/json', authorization: signTeams(token, raw) },
        payload: raw,
      });
    };

    it.skipIf(skip)(
      'answers in the response body as a message activity, in the tenant the token belongs to',
      async () => {
        const id = uniq();
        const res = await postTeams(activity(id, 'what are your opening hours?'), TEAMS_TOKEN_B);
        expect(res.statusCode, res.body).toBe(200);
        const body = res.json();
        expect(body.type).toBe('message');
        const stored = (await messagesOf(b.id)).find((m) => m.external_id === id)!;
        expect(stored.text).toBe('what are your opening hours?');
        expect(body.text).toBe((await replyTo(b.id, stored.id))!.text);
        expect((await messagesOf(a.id)).some((m) => m.external_id === id)).toBe(false);
      },
    );

    it.skipIf(skip)('refuses an unknown token and a missing header', async () => {
      expect((await postTeams(activity(uniq(), 'x'), Buffer.from('nobody').toString('base64'))).statusCode).toBe(401);
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v2/webhooks/teams',
        headers: { 'content-type': 'application/json' },
        payload: activity(uniq(), 'x'),
      });
      expect(res.statusCode).toBe(401);
    });
  });

  describe('Telegram', () => {
    it.skipIf(skip)(
      'stores an update and replies with sendMessage to the chat; a tapped button is answered too',
      async () => {
        const update = Number(uniq().slice(-9));
        const res = await postTg(
          {
            update_id: update,
            message: {
              message_id: 1,
              date: Math.floor(Date.now() / 1000),
              chat: { id: 4242, type: 'private' },
              from: { id: 4242, first_name: 'Ada', is_bot: false },
              text: 'I need a plumber',
            },
          },
          'tg_secret_A',
        );
        expect(res.statusCode, res.body).toBe(200);
        const sent = await waitFor(() =>
          tg.requests.find((r) => r.path === '/bot123456:ABC-DEF/sendMessage' && r.body.chat_id === '4242'),
        );
        expect(typeof sent.body.text).toBe('string');
        const tap = {
          update_id: update + 1,
          callback_query: {
            id: 'cbq-1',
            from: { id: 4242, first_name: 'Ada', is_bot: false },
            message: {
              message_id: 2,
              chat: { id: 4242, type: 'private' },
              text: 'Pick',
              reply_markup: { inline_keyboard: [[{ text: 'Book a visit', callback_data: 'book' }]] },
            },
            data: 'book',
          },
        };
        expect((await postTg(tap, 'tg_secret_A')).statusCode).toBe(200);
        await waitFor(() =>
          tg.requests.find((r) => r.path.endsWith('/answerCallbackQuery') && r.body.callback_query_id === 'cbq-1'),
        );
        expect((await postTg(tap, 'tg_secret_A')).json()).toMatchObject({ duplicates: 1 });
      },
    );

    it.skipIf(skip)("counts verified updates against the tenant's webhook rate limit", async () => {
      await t.createTenant({
        plan: 'enterprise',
        configuration: {
          channels: { telegram: { secret_token: 'tg_secret_limited' } },
          rate_limits: { classes: { api: { minute: 2 } } },
        },
      });
      const update = (n: number) => ({
        update_id: Number(uniq().slice(-8)) + n,
        message: {
          message_id: n,
          date: Math.floor(Date.now() / 1000),
          chat: { id: 777, type: 'private' },
          from: { id: 777, first_name: 'R', is_bot: false },
          text: `hi ${n}`,
        },
      });
      // The counters are per calendar minute: start well inside one.
      if (new Date().getSeconds() >= 57) await new Promise((r) => setTimeout(r, (61 - new Date().getSeconds()) * 1000));
      const codes = [];
      for (const n of [1, 2, 3]) codes.push((await postTg(update(n), 'tg_secret_limited')).statusCode);
      // Spec D has one rate class (`api`), which its webhooks share.
      expect(codes).toEqual([200, 200, 429]);
    });

    it.skipIf(skip)('refuses a wrong or missing secret token', async () => {
      const body = {
        update_id: 1,
        message: {
          message_id: 1,
          date: 1,
          chat: { id: 1, type: 'private' },
          from: { id: 1, first_name: 'X', is_bot: false },
          text: 'x',
        },
      };
      expect((await postTg(body, 'tg_secret_X')).statusCode).toBe(401);
      expect((await postTg(body)).statusCode).toBe(401);
    });
  });

  describe('generic integrations', () => {
    const postGeneric = (integration: string, body: unknown, token?: string) =>
      t.app.inject({
        method: 'POST',
        url: `/api/v2/webhooks/generic/${integration}`,
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        payload: body as Record<string, unknown>,
      });
    const specEvent = {
      event_type: 'customer_updated',
      timestamp: '2025-06-01T14:30:00Z',
      customer_id: 'cust_789',
      data: {
        customer_email: 'john@example.com',
        customer_tier: 'premium',
        recent_orders: [{ order_id: 'ORD123456', status: 'shipped', tracking_number: 'TRK789012' }],
        support_tickets: [{ ticket_id: 'TKT456', status: 'open', priority: 'high', subject: 'Login issues' }],
      },
    };

    it.skipIf(skip)(
      'accepts the URL tenant creation advertises with the tenant’s webhook secret from the start',
      async () => {
        const tenant = await t.createTenant();
        const incoming = new URL((tenant.body.webhook_endpoints as { incoming: string }).incoming).pathname;
        expect(incoming).toBe(`/api/v2/webhooks/generic/${tenant.id}`);
        const post = (token?: string) =>
          t.app.inject({
            method: 'POST',
            url: incoming,
            headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
            payload: specEvent,
          });
        const res = await post(tenant.credentials.webhook_secret);
        expect(res.statusCode, res.body).toBe(200);
        expect(res.json()).toMatchObject({ status: 'processed', actions_taken: ['updated_customer_profile'] });
        expect((await post('whsec_not_the_secret')).statusCode).toBe(401);
        expect((await post()).statusCode).toBe(401);
        const other = await t.createTenant();
        expect((await post(other.credentials.webhook_secret)).statusCode).toBe(401);
      },
    );

    it.skipIf(skip)(
      'customer_updated updates the contact and the context of its open conversations, and says so truthfully',
      async () => {
        // A conversation with John first, through the integration's own message event.
        const msg = await postGeneric(
          'crm_integration_456',
          {
            event_type: 'message_received',
            message_id: 'chat_1',
            customer_id: 'cust_789',
            customer_email: 'john@example.com',
            text: 'Where is my order?',
          },
          'webhook_token_abc123',
        );
        expect(msg.statusCode, msg.body).toBe(200);
        const conversationId = msg.json().conversation_id as string;

        const res = await postGeneric('crm_integration_456', specEvent, 'webhook_token_abc123');
        expect(res.statusCode, res.body).toBe(200);
        expect(res.json()).toMatchObject({
          status: 'processed',
          event_id: expect.stringMatching(/^evt_/),
          actions_taken: ['updated_customer_profile', 'refreshed_conversation_context'],
          affected_conversations: [conversationId],
        });
        const conv = await db()
          .selectFrom('conversations')
          .select('context')
          .where('tenant_id', '=', a.id)
          .where('id', '=', conversationId)
          .executeTakeFirstOrThrow();
        expect(JSON.parse(conv.context).customer).toMatchObject({
          customer_id: 'cust_789',
          customer_tier: 'premium',
          email: 'john@example.com',
          recent_orders: [{ order_id: 'ORD123456' }],
        });
        const contact = await db()
          .selectFrom('contacts')
          .selectAll()
          .where('tenant_id', '=', a.id)
          .where('email', '=', 'john@example.com')
          .executeTakeFirstOrThrow();
        expect(JSON.parse(contact.attributes).crm_integration_456).toMatchObject({ customer_tier: 'premium' });

        // Someone with no conversation: the profile is updated, nothing else is claimed.
        const lone = await postGeneric(
          'crm_integration_456',
          {
            ...specEvent,
            customer_id: 'cust_new',
            data: { customer_email: 'new@example.com', customer_tier: 'basic' },
          },
          'webhook_token_abc123',
        );
        expect(lone.json()).toMatchObject({ actions_taken: ['updated_customer_profile'], affected_conversations: [] });
      },
    );

    it.skipIf(skip)("refuses a wrong token, a missing one, and tenant B's token against tenant A", async () => {
      // Earlier tests' deliveries finish first, so only these requests could change the footprint.
      await t.deps.queue.idle(10_000);
      const before = await tenantFootprint(t, a.id);
      expect((await postGeneric('crm_integration_456', specEvent, 'nope')).statusCode).toBe(401);
      expect((await postGeneric('crm_integration_456', specEvent)).statusCode).toBe(401);
      const viaB = await t.app.inject({
        method: 'POST',
        url: `/api/v2/webhooks/generic/crm_integration_456?tenant_id=${a.id}`,
        headers: { authorization: 'Bearer webhook_token_of_b' },
        payload: specEvent,
      });
      expect(viaB.statusCode).toBe(401);
      expect(await tenantFootprint(t, a.id)).toEqual(before);
    });

    it.skipIf(skip)('rejects an unknown event type with the allowed list', async () => {
      const res = await postGeneric('crm_integration_456', { event_type: 'order_shipped' }, 'webhook_token_abc123');
      expect(res.statusCode).toBe(400);
      expect(res.json().error.details).toMatchObject({ field: 'event_type' });
    });
  });

  describe('channel configuration and delivery outcomes', () => {
    it.skipIf(skip)('keeps channel secrets sealed at rest and masked in the configuration API', async () => {
      const res = await t.app.inject({ method: 'GET', url: `/api/v2/tenants/${a.id}/config`, headers: t.adminHeaders });
      const channels = res.json().data.configuration.channels;
      expect(channels.whatsapp).toMatchObject({
        phone_number_id: 'PN_A',
        app_secret: '***hidden***',
        access_token: '***hidden***',
        verify_token: '***hidden***',
      });
      expect(channels.slack).toMatchObject({
        team_id: 'T_A',
        signing_secret: '***hidden***',
        bot_token: '***hidden***',
      });
      expect(channels.telegram.secret_token).toBe('***hidden***');
      expect(channels.teams.security_token).toBe('***hidden***');
      expect(res.json().data.configuration.integrations.crm_integration_456.webhook_token).toBe('***hidden***');
      const row = await db().selectFrom('tenants').select('config').where('id', '=', a.id).executeTakeFirstOrThrow();
      for (const secret of [
        'wa-secret-A',
        'slack-secret-A',
        'tg_secret_A',
        TEAMS_TOKEN_A,
        'webhook_token_abc123',
        'xoxb-123',
      ])
        expect(row.config).not.toContain(secret);
    });

    it.skipIf(skip)(
      'retries a send the platform could not take (5xx) and then records it sent',
      async () => {
        await t.deps.queue.idle(10_000);
        const from = `1555${uniq().slice(-7)}`;
        wa.replyNext({
          status: 503,
          body: { error: { message: 'Service temporarily unavailable', type: 'OAuthException', code: 2 } },
        });
        const res = await postMeta('whatsapp', waPayload('PN_A', from, 'hello'), 'wa-secret-A');
        const reply = await waitFor(async () => {
          const r = await replyTo(a.id, res.json().message_id);
          return r?.status === 'sent' && r.external_id ? r : undefined;
        }, 12_000);
        expect(wa.requests.filter((r) => r.body.to === from)).toHaveLength(2);
        expect(await t.deps.services.channelDelivery.forMessage(a.id, reply.id)).toMatchObject({
          status: 'sent',
          attempts: 2,
        });
      },
      20_000,
    );

    it.skipIf(skip)(
      'records a send the platform refused for good as failed, with its reason, on the message',
      async () => {
        await t.deps.queue.idle(10_000);
        const from = `1555${uniq().slice(-7)}`;
        wa.replyNext({
          status: 400,
          body: { error: { message: '(#131026) Message Undeliverable.', type: 'OAuthException', code: 131026 } },
        });
        const res = await postMeta('whatsapp', waPayload('PN_A', from, 'hello'), 'wa-secret-A');
        const reply = await waitFor(async () => {
          const r = await replyTo(a.id, res.json().message_id);
          return r?.status === 'failed' ? r : undefined;
        });
        expect(reply.error).toContain('Message Undeliverable');
        expect(wa.requests.filter((r) => r.body.to === from)).toHaveLength(1);
      },
      20_000,
    );

    it.skipIf(skip)('applies Messenger read watermarks to what we sent before them', async () => {
      const psid = `PSID_${uniq()}`;
      const event = (e: Record<string, unknown>) => ({
        object: 'page',
        entry: [
          {
            id: 'PAGE_A',
            time: Date.now(),
            messaging: [{ sender: { id: psid }, recipient: { id: 'PAGE_A' }, timestamp: Date.now(), ...e }],
          },
        ],
      });
      const res = await postMeta('messenger', event({ message: { mid: `m_${uniq()}`, text: 'hello' } }), 'fb-secret-A');
      const reply = await waitFor(async () => {
        const r = await replyTo(a.id, res.json().message_id);
        return r?.external_id ? r : undefined;
      });
      const read = await postMeta('messenger', event({ read: { watermark: Date.now() + 1000 } }), 'fb-secret-A');
      expect(read.json()).toMatchObject({ statuses_applied: 1 });
      expect((await replyTo(a.id, res.json().message_id))!.status).toBe('read');
      expect(reply.external_id).toMatch(/^m_/);
    });

    it.skipIf(skip)(
      "sends an agent's message (ChannelDelivery.deliver) to Telegram with the chat as recipient",
      async () => {
        const update = Number(uniq().slice(-9));
        const res = await postTg(
          {
            update_id: update,
            message: {
              message_id: 1,
              date: Math.floor(Date.now() / 1000),
              chat: { id: 5151, type: 'private' },
              from: { id: 5151, first_name: 'Bo', is_bot: false },
              text: 'hi',
            },
          },
          'tg_secret_A',
        );
        const conversationId = res.json().conversation_id as string;
        await waitFor(() => tg.requests.find((r) => r.body.chat_id === '5151'));
        const messageId = `msg_agent_${uniq()}`;
        await db()
          .insertInto('messages')
          .values({
            id: messageId,
            tenant_id: a.id,
            conversation_id: conversationId,
            channel: 'telegram',
            external_id: null,
            direction: 'outbound',
            sender: 'agent',
            content_type: 'text',
            text: 'Hi Bo, Sam here.',
            media: null,
            quick_replies: null,
            intent: null,
            confidence: null,
            sentiment: null,
            status: 'sent',
            error: null,
            metadata: '{}',
            reply_to_id: null,
            created_at: new Date().toISOString(),
          })
          .execute();
        await t.deps.services.channelDelivery.deliver(a.id, {
          channel: 'telegram',
          conversationId,
          messageId,
          to: '5151',
          text: 'Hi Bo, Sam here.',
          quickReplies: [],
        });
        await t.deps.services.channelDelivery.deliver(a.id, {
          channel: 'telegram',
          conversationId,
          messageId,
          to: '5151',
          text: 'Hi Bo, Sam here.',
          quickReplies: [],
        });
        await waitFor(async () =>
          (await t.deps.services.channelDelivery.forMessage(a.id, messageId))?.status === 'sent' ? true : undefined,
        );
        expect(tg.requests.filter((r) => r.body.text === 'Hi Bo, Sam here.')).toEqual([
          expect.objectContaining({
            path: '/bot123456:ABC-DEF/sendMessage',
            body: { chat_id: '5151', text: 'Hi Bo, Sam here.' },
          }),
        ]);
        // Another tenant cannot see this delivery.
        expect(await t.deps.services.channelDelivery.forMessage(b.id, messageId)).toBeUndefined();
      },
    );
  });

  describe('GET /webhooks/verify/{channel}', () => {
    it.skipIf(skip)('echoes hub.challenge as plain text when the verify token matches a tenant', async () => {
      const res = await t.app.inject({
        method: 'GET',
        url: '/api/v2/webhooks/verify/whatsapp?hub.mode=subscribe&hub.challenge=challenge_string_123&hub.verify_token=verify-A',
      });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/plain/);
      expect(res.body).toBe('challenge_string_123');
      const meta = await t.app.inject({
        method: 'GET',
        url: '/api/v2/webhooks/messenger?hub.mode=subscribe&hub.challenge=c2&hub.verify_token=fb-verify-B',
      });
      expect(meta.body).toBe('c2');
    });

    it.skipIf(skip)(
      "answers 403 on a wrong token, a wrong mode, or another tenant's token for a named tenant",
      async () => {
        for (const q of [
          'hub.mode=subscribe&hub.challenge=x&hub.verify_token=wrong',
          'hub.mode=unsubscribe&hub.challenge=x&hub.verify_token=verify-A',
          `hub.mode=subscribe&hub.challenge=x&hub.verify_token=verify-B&tenant_id=${a.id}`,
        ]) {
          const res = await t.app.inject({ method: 'GET', url: `/api/v2/webhooks/verify/whatsapp?${q}` });
          expect(res.statusCode, q).toBe(403);
          expect(res.json()).toMatchObject({ status: 'error', error: { code: 'FORBIDDEN' } });
        }
      },
    );
  });
});
