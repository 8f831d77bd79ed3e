import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { LiveEvent } from '../../../src/domain/live/index.js';
import { startTestApp, type TestApp } from '../../helpers/app.js';
import { dialects } from '../../helpers/db.js';
import { itIsolatesTenants, tenantFootprint } from '../../helpers/isolation.js';
import { startWebhookReceiver, type WebhookReceiver } from '../../fakes/webhook-receiver.fake.js';
import { startOpenAiAudioFake, type OpenAiAudioFake } from '../../fakes/openai-audio.fake.js';

/** Bytes standing in for a voice note; the transcription fake answers whatever it was scripted to. */
const VOICE = Buffer.from('OggS voice note bytes for the test');

/** A platform's media server on loopback: `/voice.ogg` is the voice note, anything else is 404. */
async function serveMedia(): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    if (req.url === '/voice.ogg') {
      res.writeHead(200, { 'content-type': 'audio/ogg' });
      res.end(VOICE);
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

type Tenant = Awaited<ReturnType<TestApp['createTenant']>>;
type Body = ReturnType<typeof JSON.parse>;

/** Spec D's "Send Message - Basic Text Query" example request. */
const specTextMessage = {
  message_id: 'msg_98765432-1234-1234-1234-123456789012',
  conversation_id: 'conv_11111111-2222-3333-4444-555555555555',
  user_id: 'user_customer123',
  channel: 'web',
  content: { type: 'text', text: 'What are your store hours?', language: 'en' },
  channel_metadata: {
    platform_user_id: 'web_visitor_456',
    user_agent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36',
    referrer: 'https://mystore.com/products',
  },
};

/** Spec D's "Send Message with Media - WhatsApp Image" example request. */
const specImageMessage = {
  message_id: 'msg_img_123456789',
  user_id: 'whatsapp_+1234567890',
  channel: 'whatsapp',
  content: {
    type: 'image',
    text: 'My order arrived damaged, please help!',
    media: {
      url: 'https://media.whatsapp.com/v1/media/abc123def456',
      type: 'image/jpeg',
      size_bytes: 245760,
      alt_text: 'Damaged product package',
    },
  },
  channel_metadata: { platform_message_id: 'wamid.abc123def456', platform_user_id: '+1234567890' },
};

let seq = 0;
const nextId = () => `m_${Date.now()}_${(seq += 1)}`;

describe.each(dialects)('chatbot chat routes on $label', ({ dialect, skip }) => {
  let t: TestApp;
  let receiver: WebhookReceiver;
  let stt: OpenAiAudioFake;
  let media: { url: string; close(): Promise<void> };

  beforeAll(async () => {
    if (skip) return;
    t = await startTestApp({ dialect });
    await t.deps.queue.start();
    receiver = await startWebhookReceiver();
    stt = await startOpenAiAudioFake({ apiKey: 'sk-test' });
    media = await serveMedia();
  });
  afterAll(async () => {
    if (skip) return;
    await t.close();
    await receiver.close();
    await stt.close();
    await media.close();
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  const tenantWith = (configuration: Record<string, unknown> = {}) =>
    t.createTenant({ plan: 'enterprise', configuration });
  const key = (tenant: Tenant) => ({ authorization: `Bearer ${tenant.apiKey}` });
  const send = (tenant: Tenant, payload: Record<string, unknown>, headers: Record<string, string> = key(tenant)) =>
    t.app.inject({ method: 'POST', url: '/api/v2/chat/message', headers, payload });
  const say = async (tenant: Tenant, text: string, extra: Record<string, unknown> = {}): Promise<Body> => {
    const res = await send(tenant, {
      message_id: nextId(),
      user_id: 'visitor_1',
      channel: 'web',
      content: { type: 'text', text },
      ...extra,
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json().data;
  };
  const messagesOf = (tenantId: string) =>
    t.deps.database.db
      .selectFrom('messages')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
  const conversationOf = (tenantId: string, id: string) =>
    t.deps.database.db
      .selectFrom('conversations')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
  const listen = async (tenant: Tenant) => {
    const seen: LiveEvent[] = [];
    const sub = await t.deps.live.subscribe(tenant.id, undefined, (e) => seen.push(e));
    return { seen, close: () => sub.close() };
  };

  describe('POST /api/v2/chat/message', () => {
    it.skipIf(skip)(
      'takes a closed-hours emergency to the on-call line and an urgent handoff, keeping the line in the reply',
      async () => {
        const closed = { closed: true };
        const tenant = await tenantWith({
          business_hours: Object.fromEntries(
            ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'].map((d) => [d, closed]),
          ),
          chatbot: {
            out_of_hours_message: 'We are closed. For emergencies call our on-call plumber at (512) 555-0199.',
          },
        });
        const data = await say(tenant, 'Water is pouring through my kitchen ceiling, a pipe burst upstairs!');
        expect(data.response.text).toContain('555-0199');
        expect(data.response.text).not.toMatch(/tomorrow/i);
        const transfers = await t.deps.database.db
          .selectFrom('transfers')
          .select(['priority', 'reason'])
          .where('tenant_id', '=', tenant.id)
          .execute();
        expect(transfers).toEqual([{ priority: 'urgent', reason: 'emergency' }]);
      },
    );

    it.skipIf(skip)(
      'answers the spec example with the real model, time and state, under the client’s new conversation id',
      async () => {
        const tenant = await tenantWith({
          business_hours: { monday: { start: '09:00', end: '20:00' }, sunday: { closed: true } },
        });
        const live = await listen(tenant);
        const res = await send(tenant, specTextMessage, { ...key(tenant), 'x-tenant-id': tenant.id });
        await live.close();
        expect(res.statusCode, res.body).toBe(200);
        const body = res.json();
        expect(body).toMatchObject({ status: 'success', meta: { api_version: 'v2', request_id: expect.any(String) } });
        const data = body.data;
        expect(data).toMatchObject({
          message_id: specTextMessage.message_id,
          conversation_id: specTextMessage.conversation_id,
          response: { type: 'text', text: expect.stringMatching(/\S/), quick_replies: expect.any(Array) },
          conversation_state: {
            current_intent: 'business_hours',
            entities: expect.any(Object),
            next_expected_input: expect.any(String),
            conversation_stage: 'information_provided',
          },
          processing_metadata: {
            model_used: 'frontdesk-local-1',
            processing_time_ms: expect.any(Number),
            confidence_score: expect.any(Number),
          },
        });
        expect(data.response.text).toMatch(/9 ?AM|9:00/i);
        for (const q of data.response.quick_replies) expect(Object.keys(q).sort()).toEqual(['payload', 'title']);
        expect(data.processing_metadata.confidence_score).toBeGreaterThan(0.5);

        const stored = await messagesOf(tenant.id);
        expect(stored.map((m) => [m.direction, m.sender, m.status])).toEqual([
          ['inbound', 'customer', 'processed'],
          ['outbound', 'bot', 'sent'],
        ]);
        expect(stored[0]).toMatchObject({
          external_id: specTextMessage.message_id,
          conversation_id: specTextMessage.conversation_id,
          intent: 'business_hours',
          text: 'What are your store hours?',
        });
        expect(stored[1]).toMatchObject({
          id: data.response.message_id,
          text: data.response.text,
          reply_to_id: stored[0]!.id,
          intent: 'business_hours',
        });
        expect(JSON.parse(stored[1]!.metadata)).toMatchObject({
          model_used: 'frontdesk-local-1',
          processing_time_ms: data.processing_metadata.processing_time_ms,
        });
        expect(live.seen.map((e) => [e.type, e.conversationId, e.data.direction])).toEqual([
          ['message.created', specTextMessage.conversation_id, 'inbound'],
          ['message.created', specTextMessage.conversation_id, 'outbound'],
        ]);
        const conversation = await conversationOf(tenant.id, specTextMessage.conversation_id);
        expect(conversation).toMatchObject({
          channel: 'web',
          user_id: 'user_customer123',
          message_count: 2,
          current_intent: 'business_hours',
        });
        expect(JSON.parse(conversation.state)).toMatchObject({ conversation_stage: 'information_provided' });
      },
    );

    it.skipIf(skip)('answers a repeated message_id with the same response and does not process it again', async () => {
      const tenant = await tenantWith();
      const payload = { ...specTextMessage, conversation_id: undefined };
      const first = await send(tenant, payload);
      expect(first.statusCode, first.body).toBe(200);
      const before = await messagesOf(tenant.id);
      const live = await listen(tenant);
      const again = await send(tenant, { ...payload, content: { type: 'text', text: 'I want a refund' } });
      await live.close();
      expect(again.statusCode).toBe(200);
      expect(again.json().data).toEqual(first.json().data);
      expect(await messagesOf(tenant.id)).toEqual(before);
      expect(live.seen).toEqual([]);
    });

    it.skipIf(skip)(
      'continues a conversation, and refuses another channel’s or another tenant’s conversation id',
      async () => {
        const tenant = await tenantWith();
        const first = await say(tenant, 'Hello');
        const second = await say(tenant, 'What are your hours?', { conversation_id: first.conversation_id });
        expect(second.conversation_id).toBe(first.conversation_id);
        // Without an id, the visitor's open conversation on the channel is continued.
        expect((await say(tenant, 'thanks')).conversation_id).toBe(first.conversation_id);
        expect((await conversationOf(tenant.id, first.conversation_id)).message_count).toBe(6);

        const wrongChannel = await send(tenant, {
          message_id: nextId(),
          conversation_id: first.conversation_id,
          user_id: 'visitor_1',
          channel: 'telegram',
          content: { type: 'text', text: 'hi' },
        });
        expect(wrongChannel.statusCode).toBe(409);
        expect(wrongChannel.json().error).toMatchObject({
          code: 'CONFLICT',
          details: { conversation_id: first.conversation_id, channel: 'web' },
        });

        const intruder = await tenantWith();
        const before = await tenantFootprint(t, tenant.id);
        const foreign = await send(intruder, {
          message_id: nextId(),
          conversation_id: first.conversation_id,
          user_id: 'visitor_1',
          channel: 'web',
          content: { type: 'text', text: 'hi' },
        });
        expect(foreign.statusCode).toBe(404);
        expect(foreign.json()).toMatchObject({
          status: 'error',
          error: { code: 'NOT_FOUND' },
          meta: { api_version: 'v2' },
        });
        expect(await tenantFootprint(t, tenant.id)).toEqual(before);
        expect(await messagesOf(intruder.id)).toEqual([]);
      },
    );

    it.skipIf(skip)('refuses a closed conversation with 409', async () => {
      const tenant = await tenantWith();
      const first = await say(tenant, 'Hello');
      await t.deps.database.db
        .updateTable('conversations')
        .set({ status: 'closed' })
        .where('id', '=', first.conversation_id)
        .execute();
      const res = await send(tenant, {
        message_id: nextId(),
        conversation_id: first.conversation_id,
        user_id: 'visitor_1',
        channel: 'web',
        content: { type: 'text', text: 'hi again' },
      });
      expect(res.statusCode).toBe(409);
      expect(res.json().error.details).toMatchObject({ status: 'closed' });
    });

    it.skipIf(skip)(
      'handles the spec’s WhatsApp image: stored with its media and answered with the evidence noted',
      async () => {
        const tenant = await tenantWith();
        const res = await send(tenant, specImageMessage);
        expect(res.statusCode, res.body).toBe(200);
        const data = res.json().data;
        expect(data.response).toMatchObject({ type: 'text', text: expect.stringMatching(/\S/) });
        expect(data.conversation_state.entities).toMatchObject({ evidence_provided: true });
        const [inbound] = await messagesOf(tenant.id);
        expect(inbound).toMatchObject({
          content_type: 'image',
          text: specImageMessage.content.text,
          external_id: specImageMessage.message_id,
        });
        expect(JSON.parse(inbound!.media!)).toEqual([
          {
            kind: 'image',
            url: specImageMessage.content.media.url,
            mimeType: 'image/jpeg',
            sizeBytes: 245760,
            caption: 'Damaged product package',
          },
        ]);

        const got = await t.app.inject({
          method: 'GET',
          url: `/api/v2/chat/message/${specImageMessage.message_id}`,
          headers: key(tenant),
        });
        expect(got.json().data.content).toEqual({
          type: 'image',
          text: specImageMessage.content.text,
          media: [
            {
              kind: 'image',
              url: specImageMessage.content.media.url,
              type: 'image/jpeg',
              size_bytes: 245760,
              alt_text: 'Damaged product package',
            },
          ],
        });
      },
    );

    it.skipIf(skip)(
      'transcribes a voice message with the tenant’s speech-to-text provider and answers what was said',
      async () => {
        const tenant = await tenantWith({
          speech_to_text: { providers: [{ kind: 'openai', base_url: stt.baseUrl, api_key: 'sk-test' }] },
        });
        stt.reply({ kind: 'transcript', text: 'What are your opening hours?', language: 'en', duration: 2 });
        const id = nextId();
        const res = await send(tenant, {
          message_id: id,
          user_id: 'u',
          channel: 'web',
          content: { type: 'audio', media: { url: `${media.url}/voice.ogg`, type: 'audio/ogg' } },
        });
        expect(res.statusCode, res.body).toBe(200);
        expect(res.json().data.conversation_state.current_intent).toBe('business_hours');
        expect(stt.requests.at(-1)!.file!.bytes.equals(VOICE)).toBe(true);
        const [inbound] = await messagesOf(tenant.id);
        expect(inbound).toMatchObject({
          content_type: 'audio',
          text: 'What are your opening hours?',
          intent: 'business_hours',
        });
        expect(JSON.parse(inbound!.metadata).transcript).toMatchObject({
          provider: expect.stringMatching(/openai/),
          model: 'whisper-1',
        });
        expect(JSON.parse(inbound!.media!)).toEqual([
          { kind: 'audio', url: `${media.url}/voice.ogg`, mimeType: 'audio/ogg' },
        ]);
      },
    );

    it.skipIf(skip)('acknowledges a voice message it cannot read and records why', async () => {
      const tenant = await tenantWith({
        speech_to_text: { providers: [{ kind: 'openai', base_url: stt.baseUrl, api_key: 'sk-test' }] },
      });
      const res = await send(tenant, {
        message_id: nextId(),
        user_id: 'u',
        channel: 'web',
        content: { type: 'audio', media: { url: `${media.url}/missing.ogg`, type: 'audio/ogg' } },
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().data.response.text).toMatch(/voice message/);
      expect(res.json().data.processing_metadata.model_used).toBeNull();
      const [inbound] = await messagesOf(tenant.id);
      expect(inbound).toMatchObject({ status: 'processed', text: '' });
      expect(JSON.parse(inbound!.metadata).transcription_error).toMatch(/HTTP 404/);
    });

    it.skipIf(skip)('rejects invalid bodies with spec D’s envelope and field details', async () => {
      const tenant = await tenantWith();
      const cases: [Record<string, unknown>, string][] = [
        [{ channel: 'web', content: { type: 'text', text: 'hi' } }, 'user_id'],
        [{ user_id: 'u', channel: 'carrier-pigeon', content: { type: 'text', text: 'hi' } }, 'channel'],
        [{ user_id: 'u', channel: 'web', content: { type: 'text' } }, 'content.text'],
        [{ user_id: 'u', channel: 'web', content: { type: 'image', text: 'look' } }, 'content.media'],
        [
          { user_id: 'u', channel: 'web', content: { type: 'image', media: { url: 'not a url' } } },
          'content.media.url',
        ],
        [
          { user_id: 'u', channel: 'web', conversation_id: 'nope', content: { type: 'text', text: 'hi' } },
          'conversation_id',
        ],
        [
          { user_id: 'u', channel: 'web', message_id: 'has spaces in it', content: { type: 'text', text: 'hi' } },
          'message_id',
        ],
      ];
      for (const [payload, field] of cases) {
        const res = await send(tenant, payload);
        expect(res.statusCode, JSON.stringify(payload)).toBe(400);
        const body = res.json();
        expect(body).toMatchObject({
          status: 'error',
          error: {
            code: 'VALIDATION_ERROR',
            message: expect.any(String),
            trace_id: expect.any(String),
            timestamp: expect.any(String),
          },
          meta: { request_id: expect.any(String), api_version: 'v2' },
        });
        expect(body.error.details.errors.map((e: { field: string }) => e.field)).toContain(field);
      }
      expect(await messagesOf(tenant.id)).toEqual([]);
    });

    it.skipIf(skip)('accepts the widget token for the web channel only, and a JWT', async () => {
      const tenant = await tenantWith();
      const widget = { 'x-widget-token': tenant.credentials.widget_token };
      const web = await send(
        tenant,
        { message_id: nextId(), user_id: 'v', channel: 'web', content: { type: 'text', text: 'hello' } },
        widget,
      );
      expect(web.statusCode, web.body).toBe(200);
      const wa = await send(
        tenant,
        { message_id: nextId(), user_id: 'v', channel: 'whatsapp', content: { type: 'text', text: 'hello' } },
        widget,
      );
      expect(wa.statusCode).toBe(403);
      expect(wa.json().error.code).toBe('FORBIDDEN');
      const token = await t.app.inject({
        method: 'POST',
        url: '/v1/auth/token',
        payload: { client_id: tenant.credentials.client_id, client_secret: tenant.credentials.client_secret },
      });
      const jwt = { authorization: `Bearer ${token.json().access_token}` };
      expect(
        (
          await send(
            tenant,
            { message_id: nextId(), user_id: 'v', channel: 'slack', content: { type: 'text', text: 'hello' } },
            jwt,
          )
        ).statusCode,
      ).toBe(200);
      expect(
        (
          await send(
            tenant,
            { message_id: nextId(), user_id: 'v', channel: 'web', content: { type: 'text', text: 'hello' } },
            {},
          )
        ).statusCode,
      ).toBe(401);
    });
  });

  describe('leads, appointments and handoff', () => {
    it.skipIf(skip)(
      'turns a completed conversation into a scored lead, fires lead.qualified and records the appointment request',
      async () => {
        const tenant = await tenantWith({ chatbot: { collect_fields: ['name', 'phone', 'preferred_time'] } });
        const hook = await t.app.inject({
          method: 'POST',
          url: '/api/webhooks',
          headers: key(tenant),
          payload: { url: `${receiver.url}/leads`, events: ['lead.qualified'] },
        });
        expect(hook.statusCode, hook.body).toBe(201);
        receiver.requests.length = 0;

        const first = await say(tenant, 'I need a quote for a kitchen remodel');
        const conv = { conversation_id: first.conversation_id };
        expect(first.conversation_state).toMatchObject({
          conversation_stage: 'collecting',
          next_expected_input: 'name',
        });
        await say(tenant, 'John Smith', conv);
        await say(tenant, '415-555-2671', conv);
        await say(tenant, 'tomorrow afternoon', conv);
        const done = await say(tenant, 'yes', conv);
        expect(done.conversation_state.conversation_stage).toBe('completed');

        const conversation = await conversationOf(tenant.id, first.conversation_id);
        expect(conversation.lead_id).toMatch(/^lead_/);
        const lead = await t.deps.services.leads.get(tenant.id, conversation.lead_id!);
        expect(lead).toMatchObject({
          name: 'John Smith',
          phone: '+14155552671',
          source: 'chat',
          tier: expect.stringMatching(/HOT|WARM|COLD/),
        });
        expect(lead.score).toBeGreaterThan(0);
        expect(lead.analysis?.usage.model).toBe('frontdesk-local-1');

        const [request] = await receiver.waitFor(1);
        const delivered = JSON.parse(request!.body);
        expect(delivered).toMatchObject({
          event: 'lead.qualified',
          data: { id: lead.id, name: 'John Smith', score: lead.score, tier: lead.tier },
        });

        const appointments = await t.deps.database.db
          .selectFrom('appointment_requests')
          .selectAll()
          .where('tenant_id', '=', tenant.id)
          .execute();
        expect(appointments).toEqual([
          expect.objectContaining({
            conversation_id: first.conversation_id,
            lead_id: lead.id,
            contact_id: conversation.contact_id,
            status: 'requested',
            preferred_time: expect.stringMatching(/\S/),
            // "tomorrow afternoon" is understood, so the row keeps it as a window, not only as words.
            requested_start: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/),
            requested_end: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/),
          }),
        ]);
        const reply = (await messagesOf(tenant.id)).at(-1)!;
        expect(JSON.parse(reply.metadata)).toMatchObject({
          actions: ['create_lead', 'request_appointment'],
          lead_id: lead.id,
          appointment_request_id: appointments[0]!.id,
        });
        const contact = await t.deps.services.contacts.get(tenant.id, conversation.contact_id!);
        expect(contact).toMatchObject({ name: 'John Smith', phone: '+14155552671' });
      },
    );

    it.skipIf(skip)('hands off to a person and then stays silent while paused', async () => {
      const tenant = await tenantWith();
      const first = await say(tenant, 'Can I talk to a human agent please');
      expect(first.conversation_state.conversation_stage).toBe('handed_off');
      expect(first.conversation_status).toBe('waiting_agent');
      expect(first.response.text).toMatch(/\S/);
      const conversation = await conversationOf(tenant.id, first.conversation_id);
      expect(conversation.bot_paused).toBe(1);
      const reply = (await messagesOf(tenant.id)).at(-1)!;
      expect(JSON.parse(reply.metadata).transfer_id).toMatch(/\S/);

      const live = await listen(tenant);
      const paused = await say(tenant, 'Hello? anyone?', { conversation_id: first.conversation_id });
      await live.close();
      expect(paused).toMatchObject({
        conversation_id: first.conversation_id,
        response: null,
        conversation_status: 'waiting_agent',
      });
      expect(live.seen.map((e) => e.data.direction)).toEqual(['inbound']);
      const stored = await messagesOf(tenant.id);
      expect(stored.at(-1)).toMatchObject({ direction: 'inbound', text: 'Hello? anyone?', status: 'received' });
    });
  });

  describe('merging contacts across channels', () => {
    it.skipIf(skip)('puts a WhatsApp sender and a web visitor who gives the same phone on one contact', async () => {
      const tenant = await tenantWith();
      const wa = await t.deps.services.inbox.receive(tenant.id, {
        channel: 'whatsapp',
        externalMessageId: 'wamid.merge1',
        platformUserId: '+14155550188',
        text: 'Hi, do you repair roofs?',
        receivedAt: new Date(),
      });
      const web = await say(tenant, 'My number is (415) 555-0188, please call me', { user_id: 'visitor_merge' });
      const webConversation = await conversationOf(tenant.id, web.conversation_id);
      expect(webConversation.contact_id).toBe(wa.contactId);
      expect(web.conversation_id).not.toBe(wa.conversationId);
      expect(await t.deps.services.contacts.identities(tenant.id, wa.contactId)).toEqual(
        expect.arrayContaining([
          { channel: 'whatsapp', platformUserId: '+14155550188' },
          { channel: 'web', platformUserId: 'visitor_merge' },
        ]),
      );
      expect(
        await t.deps.database.db.selectFrom('contacts').select('id').where('tenant_id', '=', tenant.id).execute(),
      ).toEqual([{ id: wa.contactId }]);
    });
  });

  describe('GET /api/v2/chat/message/{id}', () => {
    it.skipIf(skip)('finds a message by the client’s id or ours, with its reply; 404 otherwise', async () => {
      const tenant = await tenantWith();
      const id = nextId();
      const sent = await send(tenant, {
        message_id: id,
        user_id: 'u',
        channel: 'web',
        content: { type: 'text', text: 'What are your hours?' },
      });
      const data = sent.json().data;
      const byClient = await t.app.inject({ method: 'GET', url: `/api/v2/chat/message/${id}`, headers: key(tenant) });
      expect(byClient.statusCode).toBe(200);
      const m = byClient.json().data;
      expect(m).toMatchObject({
        message_id: expect.stringMatching(/^msg_/),
        external_message_id: id,
        conversation_id: data.conversation_id,
        direction: 'inbound',
        sender: 'customer',
        status: 'processed',
        intent: 'business_hours',
        content: { type: 'text', text: 'What are your hours?', media: [] },
        response: data.response,
      });
      const byOurs = await t.app.inject({
        method: 'GET',
        url: `/api/v2/chat/message/${m.message_id}`,
        headers: key(tenant),
      });
      expect(byOurs.json().data).toEqual(m);
      const reply = await t.app.inject({
        method: 'GET',
        url: `/api/v2/chat/message/${data.response.message_id}`,
        headers: key(tenant),
      });
      expect(reply.json().data).toMatchObject({
        direction: 'outbound',
        sender: 'bot',
        reply_to_message_id: m.message_id,
        processing_metadata: data.processing_metadata,
      });
      const missing = await t.app.inject({ method: 'GET', url: '/api/v2/chat/message/msg_nope', headers: key(tenant) });
      expect(missing.statusCode).toBe(404);
      expect(missing.json().error.code).toBe('NOT_FOUND');
    });
  });

  describe('POST /api/v2/chat/message/{id}/retry', () => {
    it.skipIf(skip)(
      'keeps a failed turn as failed, answers repeats with the same error, and re-runs it on retry',
      async () => {
        const tenant = await tenantWith();
        vi.spyOn(t.deps.services.tenantAi, 'forTenant').mockRejectedValueOnce(new Error('engine unavailable'));
        const id = nextId();
        const payload = {
          message_id: id,
          user_id: 'u',
          channel: 'web',
          content: { type: 'text', text: 'What are your hours?' },
        };
        const failed = await send(tenant, payload);
        expect(failed.statusCode).toBe(502);
        expect(failed.json().error).toMatchObject({
          code: 'AI_SERVICE_ERROR',
          details: { message_id: expect.stringMatching(/^msg_/), retryable: true, error: 'engine unavailable' },
        });
        const messageId = failed.json().error.details.message_id;
        const stored = await messagesOf(tenant.id);
        expect(stored).toEqual([
          expect.objectContaining({
            id: messageId,
            status: 'failed',
            error: 'engine unavailable',
            direction: 'inbound',
          }),
        ]);

        const repeat = await send(tenant, payload);
        expect(repeat.statusCode).toBe(502);
        expect(await messagesOf(tenant.id)).toHaveLength(1);

        const retried = await t.app.inject({
          method: 'POST',
          url: `/api/v2/chat/message/${id}/retry`,
          headers: key(tenant),
        });
        expect(retried.statusCode, retried.body).toBe(200);
        expect(retried.json().data).toMatchObject({
          message_id: id,
          response: { type: 'text', text: expect.stringMatching(/\S/) },
          conversation_state: { current_intent: 'business_hours' },
        });
        // Now that it succeeded, the same message id answers with the stored result.
        const after = await send(tenant, payload);
        expect(after.statusCode).toBe(200);
        expect(after.json().data).toEqual(retried.json().data);

        const again = await t.app.inject({
          method: 'POST',
          url: `/api/v2/chat/message/${messageId}/retry`,
          headers: key(tenant),
        });
        expect(again.statusCode).toBe(409);
        expect(again.json().error).toMatchObject({ code: 'CONFLICT', details: { status: 'processed' } });
        const unknown = await t.app.inject({
          method: 'POST',
          url: '/api/v2/chat/message/msg_unknown/retry',
          headers: key(tenant),
        });
        expect(unknown.statusCode).toBe(404);
      },
    );
  });

  describe('POST /api/v2/chat/typing', () => {
    it.skipIf(skip)('publishes a typing event on the live bus and answers as the spec shows', async () => {
      const tenant = await tenantWith();
      const first = await say(tenant, 'Hello');
      const live = await listen(tenant);
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v2/chat/typing',
        headers: key(tenant),
        payload: {
          conversation_id: first.conversation_id,
          user_id: 'user_customer123',
          channel: 'web',
          typing_duration_ms: 3000,
        },
      });
      await live.close();
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().data).toEqual({ typing_sent: true, duration_ms: 3000 });
      expect(live.seen).toEqual([
        expect.objectContaining({
          type: 'typing',
          conversationId: first.conversation_id,
          data: { sender: 'customer', user_id: 'user_customer123', channel: 'web', duration_ms: 3000 },
        }),
      ]);

      const unknown = await t.app.inject({
        method: 'POST',
        url: '/api/v2/chat/typing',
        headers: key(tenant),
        payload: { conversation_id: 'conv_missing', channel: 'web' },
      });
      expect(unknown.statusCode).toBe(404);
      const bad = await t.app.inject({
        method: 'POST',
        url: '/api/v2/chat/typing',
        headers: key(tenant),
        payload: { conversation_id: first.conversation_id, channel: 'web', typing_duration_ms: 999_999 },
      });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.details.field).toBe('typing_duration_ms');
    });
  });

  describe('POST /api/v2/chat/feedback', () => {
    it.skipIf(skip)('keeps validated feedback on a message', async () => {
      const tenant = await tenantWith();
      const first = await say(tenant, 'What are your hours?');
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v2/chat/feedback',
        headers: key(tenant),
        payload: {
          message_id: first.response.message_id,
          conversation_id: first.conversation_id,
          rating: 5,
          helpful: true,
          comment: 'Quick answer',
        },
      });
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json().data).toMatchObject({
        feedback_id: expect.any(String),
        message_id: first.response.message_id,
        conversation_id: first.conversation_id,
        rating: 5,
        helpful: true,
        comment: 'Quick answer',
        recorded: true,
      });
      const rows = await t.deps.database.db
        .selectFrom('message_feedback')
        .selectAll()
        .where('tenant_id', '=', tenant.id)
        .execute();
      expect(rows).toEqual([
        expect.objectContaining({
          message_id: first.response.message_id,
          conversation_id: first.conversation_id,
          rating: 5,
          helpful: 1,
          comment: 'Quick answer',
        }),
      ]);

      for (const [payload, field] of [
        [{ message_id: first.response.message_id, rating: 6 }, 'rating'],
        [{ message_id: first.response.message_id }, 'rating'],
        [{ rating: 3 }, 'message_id'],
        [{ message_id: first.response.message_id, helpful: 'yes' }, 'helpful'],
      ] as const) {
        const bad = await t.app.inject({ method: 'POST', url: '/api/v2/chat/feedback', headers: key(tenant), payload });
        expect(bad.statusCode, JSON.stringify(payload)).toBe(400);
        expect(bad.json().error.details.errors.map((e: { field: string }) => e.field)).toContain(field);
      }
      const wrongConversation = await t.app.inject({
        method: 'POST',
        url: '/api/v2/chat/feedback',
        headers: key(tenant),
        payload: { message_id: first.response.message_id, conversation_id: 'conv_other', rating: 1 },
      });
      expect(wrongConversation.statusCode).toBe(400);
      const unknown = await t.app.inject({
        method: 'POST',
        url: '/api/v2/chat/feedback',
        headers: key(tenant),
        payload: { message_id: 'msg_missing', rating: 1 },
      });
      expect(unknown.statusCode).toBe(404);
    });
  });

  describe('tenant isolation', () => {
    it.skipIf(skip)('answers 404 to tenant B for tenant A’s conversation in typing and feedback bodies', async () => {
      const owner = await tenantWith();
      const intruder = await tenantWith();
      const first = await say(owner, 'Hello');
      const before = await tenantFootprint(t, owner.id);
      const typing = await t.app.inject({
        method: 'POST',
        url: '/api/v2/chat/typing',
        headers: key(intruder),
        payload: { conversation_id: first.conversation_id, channel: 'web' },
      });
      expect(typing.statusCode).toBe(404);
      const feedback = await t.app.inject({
        method: 'POST',
        url: '/api/v2/chat/feedback',
        headers: key(intruder),
        payload: { message_id: first.response.message_id, rating: 1 },
      });
      expect(feedback.statusCode).toBe(404);
      expect(await tenantFootprint(t, owner.id)).toEqual(before);
    });

    const sentMessage = async (app: TestApp, owner: Tenant) => {
      const res = await app.app.inject({
        method: 'POST',
        url: '/api/v2/chat/message',
        headers: { authorization: `Bearer ${owner.apiKey}` },
        payload: { message_id: nextId(), user_id: 'u', channel: 'web', content: { type: 'text', text: 'Hello' } },
      });
      return res.json().data.message_id as string;
    };
    const failedMessage = async (app: TestApp, owner: Tenant) => {
      vi.spyOn(app.deps.services.tenantAi, 'forTenant').mockRejectedValueOnce(new Error('down'));
      const res = await app.app.inject({
        method: 'POST',
        url: '/api/v2/chat/message',
        headers: { authorization: `Bearer ${owner.apiKey}` },
        payload: { message_id: nextId(), user_id: 'u', channel: 'web', content: { type: 'text', text: 'Hello' } },
      });
      return res.json().error.details.message_id as string;
    };
    if (!skip) {
      itIsolatesTenants(
        () => t,
        [
          { method: 'GET', path: '/api/v2/chat/message/:object', createObject: sentMessage },
          { method: 'POST', path: '/api/v2/chat/message/:object/retry', createObject: failedMessage },
        ],
      );
    }
  });
});
