import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createConversationUpkeep } from '../../../src/domain/conversations/index.js';
import { createMetrics } from '../../../src/http/metrics.js';
import { createMessagingModule, type MessagingSenders } from '../../../src/domain/messaging/index.js';
import { systemClock } from '../../../src/lib/clock.js';
import type { Queue } from '../../../src/queue/queue.js';
import { dialects, openTestDatabase, type TestDatabase, insertTenantRow } from '../../helpers/db.js';

let seq = 0;
const uniq = (prefix: string) => `${prefix}_${Date.now()}_${(seq += 1)}`;

describe.each(dialects)('messaging module on $label', ({ dialect, skip }) => {
  let test: TestDatabase;
  const configs = new Map<string, Record<string, unknown>>();
  const enqueued: { type: string; payload: unknown }[] = [];
  const queue = {
    enqueue: vi.fn((type: string, payload: unknown) => {
      enqueued.push({ type, payload });
      return Promise.resolve({ id: uniq('job'), duplicate: false });
    }),
  } as unknown as Queue;
  const sendText = vi.fn(() => Promise.resolve({ externalMessageId: 'wamid.1' }));
  const senders = { whatsapp: { sendText } } as unknown as MessagingSenders;
  let messaging: ReturnType<typeof createMessagingModule>;

  const addTenant = async (config: Record<string, unknown>) => {
    const id = uniq('ten');
    const at = new Date().toISOString();
    await insertTenantRow(test.database.db, id, { plan: 'starter', createdAt: at });
    configs.set(id, config);
    return id;
  };
  const outbound = (messageId: string) => ({
    channel: 'whatsapp' as const,
    conversationId: uniq('conv'),
    messageId,
    to: '+15551230000',
    text: 'Hello there',
    quickReplies: [],
    context: { phone_number_id: '123' },
  });

  beforeAll(async () => {
    if (skip) return;
    test = await openTestDatabase(dialect);
    messaging = createMessagingModule({
      counters: createMetrics(),
      db: test.database.db,
      clock: systemClock,
      queue,
      tenants: { getConfigWithSecrets: (tenantId: string) => Promise.resolve(configs.get(tenantId) ?? {}) },
      compliance: { mayContact: () => Promise.resolve({ kind: 'allowed' as const }) },
      senders,
      messages: createConversationUpkeep(test.database.db),
    });
  });
  afterAll(async () => {
    if (!skip) await test.drop();
  });

  it.skipIf(skip)('stores one delivery per message and queues its first attempt once', async () => {
    const tenantId = await addTenant({});
    const messageId = uniq('msg');
    await messaging.channelDelivery.deliver(tenantId, outbound(messageId));
    await messaging.channelDelivery.deliver(tenantId, outbound(messageId));
    expect(enqueued.filter((j) => JSON.stringify(j.payload).includes(tenantId))).toHaveLength(1);
    expect(await messaging.channelDelivery.forMessage(tenantId, messageId)).toMatchObject({
      messageId,
      channel: 'whatsapp',
      status: 'pending',
      attempts: 0,
    });
  });

  it.skipIf(skip)('records a message in the outbox when the tenant has no credentials, saying why', async () => {
    const tenantId = await addTenant({});
    const messageId = uniq('msg');
    await messaging.channelDelivery.deliver(tenantId, outbound(messageId));
    const delivery = (await messaging.channelDelivery.forMessage(tenantId, messageId))!;
    const outcome = await messaging.channelDelivery.attempt(tenantId, delivery.id, { attempt: 1, maxAttempts: 3 });
    expect(outcome).toMatchObject({ status: 'outbox' });
    expect(await messaging.channelDelivery.forMessage(tenantId, messageId)).toMatchObject({
      status: 'outbox',
      kind: 'text',
      request: expect.anything(),
      reason: expect.stringContaining('no whatsapp credentials'),
      attempts: 1,
    });
    expect(sendText).not.toHaveBeenCalled();
  });

  it.skipIf(skip)('holds a WhatsApp message outside the 24-hour window when no template is configured', async () => {
    const tenantId = await addTenant({
      channels: { whatsapp: { phone_number_id: '123', access_token: 'token' } },
    });
    const messageId = uniq('msg');
    await messaging.channelDelivery.deliver(tenantId, outbound(messageId));
    const delivery = (await messaging.channelDelivery.forMessage(tenantId, messageId))!;
    // No inbound time is known for this conversation: outside the window, and no template configured.
    expect(
      await messaging.channelDelivery.attempt(tenantId, delivery.id, { attempt: 1, maxAttempts: 3 }),
    ).toMatchObject({
      status: 'held',
    });
  });

  it.skipIf(skip)("never reads or attempts another tenant's delivery", async () => {
    const a = await addTenant({});
    const b = await addTenant({});
    const messageId = uniq('msg');
    await messaging.channelDelivery.deliver(a, outbound(messageId));
    const delivery = (await messaging.channelDelivery.forMessage(a, messageId))!;
    expect(await messaging.channelDelivery.forMessage(b, messageId)).toBeUndefined();
    expect(await messaging.channelDelivery.attempt(b, delivery.id, { attempt: 1, maxAttempts: 3 })).toEqual({
      status: 'missing',
    });
    expect(await messaging.channelDelivery.applyStatuses(b, 'whatsapp', [])).toBe(0);
    expect((await messaging.channelDelivery.forMessage(a, messageId))?.status).toBe('pending');
  });
});
