import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createConversationUpkeep } from '../../../src/domain/conversations/index.js';
import { createComplianceModule, type ComplianceService } from '../../../src/domain/compliance/index.js';
import { createMetrics } from '../../../src/http/metrics.js';
import { createMessagingModule, type MessagingSenders } from '../../../src/domain/messaging/index.js';
import type { Tenant } from '../../../src/domain/tenants/index.js';
import type { Clock } from '../../../src/lib/clock.js';
import type { Queue } from '../../../src/queue/queue.js';
import { dialects, insertTenantRow, openTestDatabase, type TestDatabase } from '../../helpers/db.js';

let seq = 0;
const uniq = (prefix: string) => `${prefix}_${Date.now()}_${(seq += 1)}`;
const TWILIO = {
  account_sid: `AC${'0'.repeat(32)}`,
  auth_token: 'tok',
  phone_number: '+15550001111',
};

describe.each(dialects)('compliance module on $label', ({ dialect, skip }) => {
  let test: TestDatabase;
  let now = new Date('2026-06-10T16:00:00Z');
  const clock: Clock = { now: () => now };
  const configs = new Map<string, Record<string, unknown>>();
  const enqueued: { type: string; payload: unknown; options: Record<string, unknown> }[] = [];
  const queue = {
    enqueue: vi.fn((type: string, payload: unknown, options: Record<string, unknown>) => {
      enqueued.push({ type, payload, options });
      return Promise.resolve({ id: uniq('job'), duplicate: false });
    }),
  } as unknown as Queue;
  const send = vi.fn(() => Promise.resolve({ externalMessageId: 'SM1' }));
  const senders = { sms: { send } } as unknown as MessagingSenders;
  let compliance: ComplianceService;
  let messaging: ReturnType<typeof createMessagingModule>;

  const addTenant = async (config: Record<string, unknown> = {}) => {
    const id = uniq('ten');
    await insertTenantRow(test.database.db, id, { plan: 'starter' });
    configs.set(id, config);
    return id;
  };
  const tenants = {
    get: (id: string) =>
      Promise.resolve({
        id,
        name: 'Acme Plumbing',
        timezone: 'America/Chicago',
        config: configs.get(id) ?? {},
      } as Tenant),
    getConfigWithSecrets: (id: string) => Promise.resolve(configs.get(id) ?? {}),
  };
  const sms = (to: string) => ({
    channel: 'sms' as const,
    conversationId: uniq('conv'),
    messageId: uniq('msg'),
    to,
    text: 'Your appointment is tomorrow at 9',
    quickReplies: [],
  });
  /** Delivers and runs the attempt the delivery queued, as the worker would. */
  const deliverNow = async (tenantId: string, to: string) => {
    await messaging.channelDelivery.deliver(tenantId, sms(to));
    const job = enqueued.at(-1)!.payload as { deliveryId: string };
    return messaging.channelDelivery.attempt(tenantId, job.deliveryId, { attempt: 1, maxAttempts: 6 });
  };

  beforeAll(async () => {
    if (skip) return;
    test = await openTestDatabase(dialect);
    ({ compliance } = createComplianceModule({ db: test.database.db, clock, tenants }));
    messaging = createMessagingModule({
      counters: createMetrics(),
      db: test.database.db,
      clock,
      queue,
      tenants,
      compliance,
      messages: createConversationUpkeep(test.database.db),
      senders,
    });
  });
  afterAll(async () => {
    if (!skip) await test.drop();
  });

  it.skipIf(skip)('confirms an opt-out once, then stays silent, and records the change', async () => {
    const tenantId = await addTenant({ compliance: { opt_out_reply: 'Unsubscribed from Acme.' } });
    const first = await compliance.handleInbound(tenantId, '(212) 555-0100', 'sms', 'STOP');
    expect(first).toEqual({ kind: 'opted_out', reply: 'Unsubscribed from Acme.' });
    expect(await compliance.handleInbound(tenantId, '+12125550100', 'sms', 'stop')).toEqual({ kind: 'silent' });
    expect(await compliance.handleInbound(tenantId, '+12125550100', 'sms', 'when are you open?')).toEqual({
      kind: 'silent',
    });
    const state = await compliance.state(tenantId, '+12125550100', 'sms');
    expect(state).toMatchObject({ phone: '+12125550100', optedOut: true });
    const history = await compliance.history(tenantId, '+12125550100');
    expect(history).toEqual([
      expect.objectContaining({ phone: '+12125550100', channel: 'sms', change: 'opt_out', source: 'keyword' }),
    ]);
  });

  it.skipIf(skip)('opts back in on START, and YES is conversation for a number that never opted out', async () => {
    const tenantId = await addTenant();
    expect(await compliance.handleInbound(tenantId, '+12125550101', 'sms', 'yes')).toBeUndefined();
    await compliance.handleInbound(tenantId, '+12125550101', 'sms', "please don't text me anymore");
    const back = await compliance.handleInbound(tenantId, '+12125550101', 'sms', 'START');
    expect(back?.kind).toBe('opted_in');
    expect((await compliance.history(tenantId, '+12125550101')).map((e) => [e.change, e.source])).toEqual([
      ['opt_out', 'phrase'],
      ['opt_in', 'keyword'],
    ]);
    expect(await compliance.mayContact(tenantId, '+12125550101', 'sms', now)).toEqual({ kind: 'allowed' });
  });

  it.skipIf(skip)("answers HELP with the tenant's help text", async () => {
    const tenantId = await addTenant({ compliance: { help_text: 'Acme: call 555-0199. STOP to end.' } });
    expect(await compliance.handleInbound(tenantId, '+12125550102', 'sms', 'help')).toEqual({
      kind: 'help',
      reply: 'Acme: call 555-0199. STOP to end.',
    });
  });

  it.skipIf(skip)('never messages an opted-out number: the delivery is held and the sender not called', async () => {
    const tenantId = await addTenant({ channels: { twilio: TWILIO } });
    await compliance.handleInbound(tenantId, '+12125550103', 'sms', 'UNSUBSCRIBE');
    send.mockClear();
    const outcome = await deliverNow(tenantId, '+12125550103');
    expect(outcome).toMatchObject({ status: 'held', reason: expect.stringContaining('opted out') as unknown });
    expect(send).not.toHaveBeenCalled();
  });

  it.skipIf(skip)('sends to a number that may be contacted, through Twilio from the tenant number', async () => {
    const tenantId = await addTenant({ channels: { twilio: TWILIO } });
    send.mockClear();
    expect(await deliverNow(tenantId, '+12125550104')).toMatchObject({ status: 'sent', external_id: 'SM1' });
    expect(send).toHaveBeenCalledWith(
      expect.objectContaining({ accountSid: TWILIO.account_sid }),
      { to: '+12125550104', from: '+15550001111', body: 'Your appointment is tomorrow at 9' },
      undefined,
    );
  });

  it.skipIf(skip)("holds a message outside the recipient's hours and queues it for when they open", async () => {
    const tenantId = await addTenant({
      channels: { twilio: TWILIO },
      compliance: { allowed_hours: { start: '08:00', end: '21:00' } },
    });
    now = new Date('2026-03-08T06:00:00Z'); // 01:00 EST in New York, the night clocks spring forward
    send.mockClear();
    const outcome = await deliverNow(tenantId, '+12125550105');
    expect(outcome).toMatchObject({ status: 'held', due_at: '2026-03-08T12:00:00.000Z' });
    expect(send).not.toHaveBeenCalled();
    const retry = enqueued.at(-1)!;
    expect(retry.options).toMatchObject({ delayMs: 6 * 3600_000 });
    now = new Date('2026-03-08T12:00:00Z');
    const { deliveryId } = retry.payload as { deliveryId: string };
    const later = await messaging.channelDelivery.attempt(tenantId, deliveryId, { attempt: 1, maxAttempts: 6 });
    expect(later).toMatchObject({ status: 'sent' });
    expect(send).toHaveBeenCalledTimes(1);
    now = new Date('2026-06-10T16:00:00Z');
  });

  it.skipIf(skip)("uses the tenant's zone when the number does not tell", async () => {
    const tenantId = await addTenant({ compliance: { allowed_hours: { start: '08:00', end: '21:00' } } });
    // 07:30 in Chicago (the tenant's zone); an Australian number has no zone in the table.
    const decision = await compliance.mayContact(tenantId, '+61255550100', 'sms', new Date('2026-06-10T12:30:00Z'));
    expect(decision).toEqual({
      kind: 'quiet',
      until: new Date('2026-06-10T13:00:00Z'),
      zone: 'America/Chicago',
    });
  });

  it.skipIf(skip)("keeps one tenant's opt-out from another tenant", async () => {
    const a = await addTenant();
    const b = await addTenant();
    await compliance.handleInbound(a, '+12125550106', 'sms', 'STOP');
    expect((await compliance.mayContact(a, '+12125550106', 'sms', now)).kind).toBe('opted_out');
    expect(await compliance.mayContact(b, '+12125550106', 'sms', now)).toEqual({ kind: 'allowed' });
    expect(await compliance.history(b, '+12125550106')).toEqual([]);
    expect((await compliance.state(b, '+12125550106', 'sms')).optedOut).toBe(false);
  });
});
