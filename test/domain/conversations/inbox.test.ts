import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InboundMessage } from '../../../src/domain/conversations/index.js';
import type { LiveEvent } from '../../../src/domain/live/index.js';
import { startTestApp, type TestApp } from '../../helpers/app.js';
import { dialects } from '../../helpers/db.js';

type Tenant = Awaited<ReturnType<TestApp['createTenant']>>;

let seq = 0;
function whatsapp(text: string, extra: Partial<InboundMessage> = {}): InboundMessage {
  seq += 1;
  return {
    channel: 'whatsapp',
    externalMessageId: `wamid.inbox${seq}`,
    platformUserId: '+14155552671',
    text,
    receivedAt: new Date(),
    ...extra,
  };
}

describe.each(dialects)('conversation inbox on $label', ({ dialect, skip }) => {
  let t: TestApp;

  beforeAll(async () => {
    if (!skip) t = await startTestApp({ dialect });
  });
  afterAll(async () => {
    if (!skip) await t.close();
  });

  const rows = (tenantId: string, table: 'messages' | 'conversations' | 'contacts') =>
    t.deps.database.db.selectFrom(table).selectAll().where('tenant_id', '=', tenantId).execute();

  const events = async (tenant: Tenant) => {
    const seen: LiveEvent[] = [];
    const sub = await t.deps.live.subscribe(tenant.id, undefined, (e) => seen.push(e));
    return { seen, close: () => sub.close() };
  };

  it.skipIf(skip)(
    'stores the message before answering, publishes both live and links the sender to a contact',
    async () => {
      const tenant = await t.createTenant({ plan: 'enterprise' });
      const live = await events(tenant);
      const message = whatsapp('What are your opening hours?', { senderName: 'Ana Lopez' });
      const result = await t.deps.services.inbox.receive(tenant.id, message);
      await live.close();

      expect(result.duplicate).toBe(false);
      expect(result.conversationId).toMatch(/^conv_/);
      expect(result.messageId).toMatch(/^msg_/);
      expect(result.reply?.text).toEqual(expect.any(String));
      expect(result.reply!.text.length).toBeGreaterThan(0);

      const stored = await rows(tenant.id, 'messages');
      expect(stored).toHaveLength(2);
      const inbound = stored.find((m) => m.direction === 'inbound')!;
      const reply = stored.find((m) => m.direction === 'outbound')!;
      expect(inbound).toMatchObject({
        id: result.messageId,
        external_id: message.externalMessageId,
        sender: 'customer',
        status: 'processed',
        channel: 'whatsapp',
      });
      expect(reply).toMatchObject({ sender: 'bot', reply_to_id: inbound.id, text: result.reply!.text });
      expect(JSON.parse(reply.metadata)).toMatchObject({
        model_used: 'frontdesk-local-1',
        provider: 'local',
        processing_time_ms: expect.any(Number),
      });
      expect(live.seen.map((e) => [e.type, e.data.direction])).toEqual([
        ['message.created', 'inbound'],
        ['message.created', 'outbound'],
      ]);

      const [conversation] = await rows(tenant.id, 'conversations');
      expect(conversation).toMatchObject({
        id: result.conversationId,
        contact_id: result.contactId,
        channel: 'whatsapp',
        status: 'active',
        message_count: 2,
        last_inbound_at: message.receivedAt.toISOString(),
      });
      const contact = await t.deps.services.contacts.get(tenant.id, result.contactId);
      expect(contact).toMatchObject({ phone: '+14155552671', name: 'Ana Lopez' });
      expect(await t.deps.services.contacts.identities(tenant.id, contact.id)).toEqual([
        { channel: 'whatsapp', platformUserId: '+14155552671' },
      ]);
    },
  );

  it.skipIf(skip)('answers a repeated platform message id with the first result and processes nothing', async () => {
    const tenant = await t.createTenant({ plan: 'enterprise' });
    const message = whatsapp('Do you do bathroom remodels?');
    const first = await t.deps.services.inbox.receive(tenant.id, message);
    const before = await rows(tenant.id, 'messages');
    const live = await events(tenant);
    const again = await t.deps.services.inbox.receive(tenant.id, {
      ...message,
      text: 'something else entirely',
      receivedAt: new Date(),
    });
    await live.close();
    expect(again).toEqual({ ...first, duplicate: true });
    expect(await rows(tenant.id, 'messages')).toEqual(before);
    expect(live.seen).toEqual([]);
    // The same id from another tenant is that tenant's own first message.
    const other = await t.createTenant({ plan: 'enterprise' });
    expect((await t.deps.services.inbox.receive(other.id, message)).duplicate).toBe(false);
  });

  it.skipIf(skip)('processes a platform message delivered twice at once exactly once', async () => {
    const tenant = await t.createTenant({ plan: 'enterprise' });
    const message = whatsapp('Do you install solar panels?');
    const results = await Promise.all([
      t.deps.services.inbox.receive(tenant.id, message),
      t.deps.services.inbox.receive(tenant.id, message),
    ]);
    expect(results.map((r) => r.duplicate).sort()).toEqual([false, true]);
    expect(results[0].messageId).toBe(results[1].messageId);
    const stored = await rows(tenant.id, 'messages');
    expect(stored.filter((m) => m.direction === 'inbound')).toHaveLength(1);
    expect(await rows(tenant.id, 'conversations')).toHaveLength(1);
  });

  it.skipIf(skip)(
    'stays silent while a human has the conversation, yet stores and publishes every message',
    async () => {
      const tenant = await t.createTenant({ plan: 'enterprise' });
      const first = await t.deps.services.inbox.receive(tenant.id, whatsapp('I want to talk to a human please'));
      const [conversation] = await rows(tenant.id, 'conversations');
      expect(conversation).toMatchObject({ id: first.conversationId, bot_paused: 1, status: 'waiting_agent' });
      const transfers = await t.deps.database.db
        .selectFrom('transfers')
        .selectAll()
        .where('tenant_id', '=', tenant.id)
        .execute();
      expect(transfers).toHaveLength(1);
      expect(transfers[0]).toMatchObject({ conversation_id: first.conversationId, status: 'queued' });

      const live = await events(tenant);
      const later = await t.deps.services.inbox.receive(tenant.id, whatsapp('Hello? Is anyone there?'));
      await live.close();
      expect(later.reply).toBeUndefined();
      expect(later.conversationId).toBe(first.conversationId);
      expect(live.seen).toEqual([
        expect.objectContaining({
          type: 'message.created',
          conversationId: first.conversationId,
          data: expect.objectContaining({ direction: 'inbound', text: 'Hello? Is anyone there?' }),
        }),
      ]);
      const stored = await rows(tenant.id, 'messages');
      expect(stored.filter((m) => m.reply_to_id === later.messageId)).toEqual([]);
      expect(stored.find((m) => m.id === later.messageId)).toMatchObject({ status: 'received', direction: 'inbound' });

      // Handed back: the bot answers again.
      await t.deps.services.transfers.handBack(tenant.id, first.conversationId);
      const answered = await t.deps.services.inbox.receive(tenant.id, whatsapp('What are your hours?'));
      expect(answered.reply?.text).toEqual(expect.any(String));
    },
  );

  it.skipIf(skip)('stores media with the message and acknowledges a photo sent without words', async () => {
    const tenant = await t.createTenant({ plan: 'enterprise' });
    const result = await t.deps.services.inbox.receive(
      tenant.id,
      whatsapp('', {
        media: [{ kind: 'image', url: 'https://media.example.com/abc.jpg', mimeType: 'image/jpeg', sizeBytes: 245760 }],
      }),
    );
    expect(result.reply?.text).toMatch(/received your photo/);
    const inbound = (await rows(tenant.id, 'messages')).find((m) => m.id === result.messageId)!;
    expect(inbound.content_type).toBe('image');
    expect(JSON.parse(inbound.media!)).toEqual([
      { kind: 'image', url: 'https://media.example.com/abc.jpg', mimeType: 'image/jpeg', sizeBytes: 245760 },
    ]);
  });

  it.skipIf(skip)('keeps one open conversation per contact and channel', async () => {
    const tenant = await t.createTenant({ plan: 'enterprise' });
    const a = await t.deps.services.inbox.receive(tenant.id, whatsapp('Hi there'));
    const b = await t.deps.services.inbox.receive(tenant.id, whatsapp('Do you fix roofs?'));
    const c = await t.deps.services.inbox.receive(tenant.id, whatsapp('Hi', { platformUserId: '+14155550199' }));
    expect(b.conversationId).toBe(a.conversationId);
    expect(c.conversationId).not.toBe(a.conversationId);
    expect(c.contactId).not.toBe(a.contactId);
  });
});
