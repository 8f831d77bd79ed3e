import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createConversationUpkeep } from '../../../src/domain/conversations/index.js';
import { createComplianceModule } from '../../../src/domain/compliance/index.js';
import { createMetrics } from '../../../src/http/metrics.js';
import { createMessagingModule, type MessagingSenders } from '../../../src/domain/messaging/index.js';
import type { Tenant } from '../../../src/domain/tenants/index.js';
import { systemClock } from '../../../src/lib/clock.js';
import { createSafeHttp } from '../../../src/providers/http/safe-fetch.js';
import { createTwilioSmsSender } from '../../../src/providers/sms/twilio.js';
import type { Queue } from '../../../src/queue/queue.js';
import { startTwilioFake, type TwilioFake } from '../../fakes/twilio.fake.js';
import { insertTenantRow, openTestDatabase, type TestDatabase } from '../../helpers/db.js';

const ACCOUNT = `AC${'b2'.repeat(16)}`;
const TOKEN = 'sms-delivery-auth-token';

let seq = 0;
const uniq = (prefix: string) => `${prefix}_${Date.now()}_${(seq += 1)}`;

describe('outbound SMS delivery', () => {
  let test: TestDatabase;
  let fake: TwilioFake;
  const configs = new Map<string, Record<string, unknown>>();
  const jobs: { deliveryId: string }[] = [];
  const queue = {
    enqueue: vi.fn((_type: string, payload: { deliveryId: string }) => {
      jobs.push(payload);
      return Promise.resolve({ id: uniq('job'), duplicate: false });
    }),
  } as unknown as Queue;
  let messaging: ReturnType<typeof createMessagingModule>;
  const metrics = createMetrics();

  const tenant = async (config: Record<string, unknown>) => {
    const id = uniq('ten');
    await insertTenantRow(test.database.db, id);
    configs.set(id, config);
    return id;
  };
  const deliver = async (tenantId: string, context: Record<string, unknown> = {}) => {
    await messaging.channelDelivery.deliver(tenantId, {
      channel: 'sms',
      conversationId: uniq('conv'),
      messageId: uniq('msg'),
      to: '+12125550100',
      text: 'Your technician is on the way',
      quickReplies: [],
      context,
    });
    return messaging.channelDelivery.attempt(tenantId, jobs.at(-1)!.deliveryId, { attempt: 1, maxAttempts: 6 });
  };

  beforeAll(async () => {
    test = await openTestDatabase('sqlite');
    fake = await startTwilioFake({ accountSid: ACCOUNT, authToken: TOKEN });
    const tenants = {
      get: (id: string) =>
        Promise.resolve({ id, name: 'Acme', timezone: 'UTC', config: configs.get(id) ?? {} } as Tenant),
      getConfigWithSecrets: (id: string) => Promise.resolve(configs.get(id) ?? {}),
    };
    const { compliance } = createComplianceModule({ db: test.database.db, clock: systemClock, tenants });
    const senders = { sms: createTwilioSmsSender(createSafeHttp({ allowPrivate: true })) } as MessagingSenders;
    messaging = createMessagingModule({
      db: test.database.db,
      clock: systemClock,
      queue,
      tenants,
      compliance,
      messages: createConversationUpkeep(test.database.db),
      senders,
      counters: metrics,
    });
  });
  afterAll(async () => {
    await fake.close();
    await test.drop();
  });

  it('sends through Twilio from the number the customer wrote to, and the fake finds the form valid', async () => {
    const tenantId = await tenant({
      channels: {
        twilio: { account_sid: ACCOUNT, auth_token: TOKEN, phone_number: '+13125550000', api_base_url: fake.url },
      },
    });
    const outcome = await deliver(tenantId, { to: '+13125550199' });
    expect(outcome).toMatchObject({ status: 'sent', external_id: expect.stringMatching(/^SM/) as unknown });
    expect(fake.requests.at(-1)!.body).toEqual({
      To: '+12125550100',
      From: '+13125550199',
      Body: 'Your technician is on the way',
    });
    expect(fake.violations).toEqual([]);
    expect(metrics.totals().sms_by_business[tenantId]).toEqual({ sms_sent_total: 1, sms_sent_customer: 1 });
  });

  it('records the message in the outbox when the tenant has no Twilio credentials', async () => {
    const before = fake.requests.length;
    const outcome = await deliver(await tenant({}));
    expect(outcome).toMatchObject({ status: 'outbox', reason: expect.stringContaining('channels.twilio') as unknown });
    expect(fake.requests.length).toBe(before);
    expect(metrics.totals().sms_sent_total).toBe(1);
  });
});
