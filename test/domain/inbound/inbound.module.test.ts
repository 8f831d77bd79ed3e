import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signCallRail } from '../../../src/channels/callrail.js';
import { TELEGRAM_SECRET_HEADER } from '../../../src/channels/telegram.js';
import { signMeta } from '../../../src/channels/whatsapp.js';
import type { IntakeEvent, IntakeResult, IntakeService } from '../../../src/domain/calls/index.js';
import {
  createConversationUpkeep,
  type ConversationInbox,
  type InboundMessage,
} from '../../../src/domain/conversations/index.js';
import { AppError } from '../../../src/domain/errors.js';
import { createInboundModule, type ChannelHook } from '../../../src/domain/inbound/index.js';
import { createRoutingModule } from '../../../src/domain/routing/index.js';
import { createFingerprint } from '../../../src/lib/crypto.js';
import { startTestApp, type TestApp } from '../../helpers/app.js';
import { dialects } from '../../helpers/db.js';

type Tenant = Awaited<ReturnType<TestApp['createTenant']>>;

let seq = 0;
const uniq = () => `${Date.now()}${(seq += 1)}`;

/** Not JSON at all: only a signature check on the raw bytes can refuse it as unauthenticated. */
const GARBAGE = '{"entry": [ this is not json';

async function refusal(work: Promise<unknown>): Promise<AppError> {
  const err = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

/**
 * The inbound door as compose/conversations.ts builds it: the real tenants, credentials, routes,
 * contacts, conversation inbox and channel delivery on the test database; the inbox is watched and
 * the call intake is a recording fake.
 */
describe.each(dialects)('inbound module on $label', ({ dialect, skip }) => {
  let t: TestApp;
  let inbound: ReturnType<typeof createInboundModule>;
  let a: Tenant;
  let b: Tenant;
  const n = uniq();
  const handed: { tenantId: string; message: InboundMessage }[] = [];
  const accepted: { tenantId: string; event: IntakeEvent }[] = [];

  const keysOf = (name: 'A' | 'B') => ({
    phone: `IN_PN_${name}_${n}`,
    waSecret: `wa-secret-${name}`,
    tgToken: `in_tg_${name}_${n}`,
    company: `INCO${name}${n}`,
    callrailKey: `callrail-key-${name}`,
    integrationToken: `crm-token-${name}`,
  });
  const A = keysOf('A');
  const B = keysOf('B');
  const configFor = (k: ReturnType<typeof keysOf>) => ({
    channels: {
      whatsapp: { phone_number_id: k.phone, app_secret: k.waSecret, access_token: 'EAAG-token' },
      telegram: { secret_token: k.tgToken },
    },
    integrations: { crm: { provider: 'custom', webhook_token: k.integrationToken } },
    callrail_company_id: k.company,
    callrail: { signing_secret: k.callrailKey },
  });

  beforeAll(async () => {
    if (skip) return;
    t = await startTestApp({ dialect });
    const s = t.deps.services;
    const db = t.deps.database.db;
    // The routes as the app keys them (Telegram's secret token is looked up by its fingerprint).
    const { routes } = createRoutingModule({
      db,
      fingerprint: createFingerprint(t.deps.config.masterKey!, 'channel-routes'),
    });
    const inbox: ConversationInbox = {
      receive(tenantId, message) {
        handed.push({ tenantId, message });
        return s.inbox.receive(tenantId, message);
      },
    };
    const intake: IntakeService = {
      accept(tenantId, event): Promise<IntakeResult> {
        accepted.push({ tenantId, event });
        return Promise.resolve({ requestId: `req_${accepted.length}`, duplicate: false, estimatedCompletion: '' });
      },
    };
    inbound = createInboundModule({
      db,
      clock: t.deps.clock,
      queue: t.deps.queue,
      tenants: s.tenants,
      credentials: s.credentials,
      routes,
      inbox,
      upkeep: createConversationUpkeep(db),
      contacts: s.contacts,
      delivery: s.channelDelivery,
      intake,
    });
    a = await t.createTenant({ plan: 'enterprise', configuration: configFor(A) });
    b = await t.createTenant({ plan: 'enterprise', configuration: configFor(B) });
  });
  afterAll(async () => {
    if (!skip) await t.close();
  });

  const rows = (table: 'messages' | 'channel_deliveries', tenantId: string) =>
    t.deps.database.db.selectFrom(table).selectAll().where('tenant_id', '=', tenantId).execute();
  const handedTo = (tenantId: string) => handed.filter((h) => h.tenantId === tenantId);

  const hook = (raw: string, headers: Record<string, string>, query: Record<string, unknown> = {}): ChannelHook => ({
    rawBody: Buffer.from(raw),
    headers: { 'content-type': 'application/json', ...headers },
    query,
    receivedAt: Date.now(),
  });
  const waChange = (phoneNumberId: string, from: string, text: string, id = `wamid.${uniq()}`) => ({
    field: 'messages',
    value: {
      messaging_product: 'whatsapp',
      metadata: { display_phone_number: '15551234567', phone_number_id: phoneNumberId },
      contacts: [{ profile: { name: 'Kerry' }, wa_id: from }],
      messages: [{ from, id, timestamp: String(Math.floor(Date.now() / 1000)), type: 'text', text: { body: text } }],
    },
  });
  const waBody = (...changes: ReturnType<typeof waChange>[]) =>
    JSON.stringify({ object: 'whatsapp_business_account', entry: [{ id: 'WABA', changes }] });
  const waHook = (raw: string, secret: string, query: Record<string, unknown> = {}) =>
    hook(raw, { 'x-hub-signature-256': signMeta(secret, raw) }, query);

  describe.skipIf(skip)('WhatsApp', () => {
    it('routes a signed message to its tenant, stores it once, hands it to the inbox and queues the reply once', async () => {
      const from = `1415555${uniq().slice(-4)}`;
      const raw = waBody(waChange(A.phone, from, 'Do you fix leaking roofs?'));
      const first = await inbound.channelWebhooks.whatsapp(waHook(raw, A.waSecret));

      expect(first.results).toHaveLength(1);
      const [result] = first.results;
      expect(result).toMatchObject({ duplicate: false, messageId: expect.stringMatching(/^msg_/) });
      expect(handedTo(a.id).at(-1)?.message).toMatchObject({
        channel: 'whatsapp',
        platformUserId: from,
        text: 'Do you fix leaking roofs?',
      });
      expect(handedTo(b.id)).toEqual([]);
      const stored = await rows('messages', a.id);
      const inboundRows = stored.filter((m) => m.direction === 'inbound');
      expect(inboundRows).toEqual([expect.objectContaining({ id: result!.messageId, channel: 'whatsapp' })]);
      const reply = stored.find((m) => m.direction === 'outbound' && m.reply_to_id === result!.messageId);
      expect(reply).toBeDefined();
      expect(await t.deps.services.channelDelivery.forMessage(a.id, reply!.id)).toMatchObject({
        channel: 'whatsapp',
        messageId: reply!.id,
      });

      // The platform delivers the same webhook again: answered as a duplicate, nothing processed twice.
      const again = await inbound.channelWebhooks.whatsapp(waHook(raw, A.waSecret));
      expect(again.results).toEqual([{ ...result, duplicate: true }]);
      expect(await rows('messages', a.id)).toEqual(stored);
      expect(await rows('channel_deliveries', a.id)).toHaveLength(1);
      expect(await rows('messages', b.id)).toEqual([]);
    });

    it('refuses a wrong signature before the body is parsed, and reads the body only once it matched', async () => {
      const before = handed.length;
      const forged = await refusal(inbound.channelWebhooks.whatsapp(waHook(GARBAGE, 'wrong', { tenant_id: a.id })));
      expect(forged.code).toBe('INVALID_SIGNATURE');
      expect(forged.details).toMatchObject({ reason: 'signature_mismatch' });
      // Addressed to no one (the bytes name no phone number): still unauthenticated, never "malformed".
      expect((await refusal(inbound.channelWebhooks.whatsapp(waHook(GARBAGE, A.waSecret)))).code).toBe(
        'INVALID_SIGNATURE',
      );
      // A well-formed body with a wrong signature is refused just the same, and stores nothing.
      const raw = waBody(waChange(A.phone, '14155550100', 'forged'));
      expect((await refusal(inbound.channelWebhooks.whatsapp(waHook(raw, 'wrong')))).code).toBe('INVALID_SIGNATURE');
      const unsigned = await refusal(inbound.channelWebhooks.whatsapp(hook(raw, {})));
      expect(unsigned.details).toMatchObject({ reason: 'missing_signature' });
      // The right secret on bytes that are not JSON: now, and only now, the body is malformed.
      const signed = await refusal(inbound.channelWebhooks.whatsapp(waHook(GARBAGE, A.waSecret, { tenant_id: a.id })));
      expect(signed.code).toBe('MALFORMED_BODY');
      expect(handed.length).toBe(before);
      expect((await rows('messages', a.id)).some((m) => m.text === 'forged')).toBe(false);
    });

    it("never lets tenant A's secret route a message to tenant B's number", async () => {
      const before = handed.length;
      const messagesOfB = await rows('messages', b.id);
      const toB = waBody(waChange(B.phone, '14155550111', 'to B, signed by A'));
      const byA = await refusal(inbound.channelWebhooks.whatsapp(waHook(toB, A.waSecret)));
      expect(byA).toMatchObject({ code: 'INVALID_SIGNATURE', details: { reason: 'signature_mismatch' } });
      // Naming B as the tenant does not help A's signature either.
      const named = await refusal(inbound.channelWebhooks.whatsapp(waHook(toB, A.waSecret, { tenant_id: b.id })));
      expect(named.code).toBe('INVALID_SIGNATURE');
      // One batch for both numbers, signed by A: refused whole, so not even A's half is stored.
      const both = waBody(
        waChange(A.phone, '14155550112', 'half for A'),
        waChange(B.phone, '14155550113', 'half for B'),
      );
      expect((await refusal(inbound.channelWebhooks.whatsapp(waHook(both, A.waSecret)))).code).toBe(
        'INVALID_SIGNATURE',
      );
      expect(handed.length).toBe(before);
      expect(await rows('messages', b.id)).toEqual(messagesOfB);
      expect((await rows('messages', a.id)).some((m) => m.text === 'half for A')).toBe(false);

      // B's own secret routes the same body to B, and to B only.
      const ok = await inbound.channelWebhooks.whatsapp(waHook(toB, B.waSecret));
      expect(ok.results).toEqual([expect.objectContaining({ duplicate: false })]);
      expect(handed.slice(before).map((h) => h.tenantId)).toEqual([b.id]);
      expect((await rows('messages', b.id)).some((m) => m.text === 'to B, signed by A')).toBe(true);
      expect((await rows('messages', a.id)).some((m) => m.text === 'to B, signed by A')).toBe(false);
    });
  });

  describe.skipIf(skip)('Telegram', () => {
    const update = (text: string) =>
      JSON.stringify({
        update_id: Number(uniq().slice(-9)),
        message: {
          message_id: 1,
          date: Math.floor(Date.now() / 1000),
          chat: { id: 4242, type: 'private' },
          from: { id: 4242, first_name: 'Ada', is_bot: false },
          text,
        },
      });

    it("routes by the secret token's fingerprint: each tenant's token reaches that tenant only", async () => {
      const before = handed.length;
      const toA = await inbound.channelWebhooks.telegram(
        hook(update('tg for A'), { [TELEGRAM_SECRET_HEADER]: A.tgToken }),
      );
      const toB = await inbound.channelWebhooks.telegram(
        hook(update('tg for B'), { [TELEGRAM_SECRET_HEADER]: B.tgToken }),
      );
      expect(toA.results).toHaveLength(1);
      expect(toB.results).toHaveLength(1);
      expect(handed.slice(before).map((h) => [h.tenantId, h.message.text])).toEqual([
        [a.id, 'tg for A'],
        [b.id, 'tg for B'],
      ]);
      // A token no tenant holds is refused as a wrong token, and reaches no one.
      const wrong = await refusal(
        inbound.channelWebhooks.telegram(hook(update('tg for nobody'), { [TELEGRAM_SECRET_HEADER]: 'nobody' })),
      );
      expect(wrong).toMatchObject({ code: 'INVALID_SIGNATURE', details: { reason: 'signature_mismatch' } });
      // A's token with ?tenant_id= naming B is checked against B's token, and refused.
      const named = await refusal(
        inbound.channelWebhooks.telegram(
          hook(update('tg A as B'), { [TELEGRAM_SECRET_HEADER]: A.tgToken }, { tenant_id: b.id }),
        ),
      );
      expect(named.code).toBe('INVALID_SIGNATURE');
      expect(handed.length).toBe(before + 2);
    });
  });

  describe.skipIf(skip)('generic integrations', () => {
    const event = (text: string) =>
      JSON.stringify({ event_type: 'message_received', message_id: `m${uniq()}`, customer_id: 'cust-1', text });

    it('finds the tenant by its bearer token, among tenants configuring the same integration', async () => {
      const before = handed.length;
      const outcome = await inbound.channelWebhooks.generic(
        'crm',
        hook(event('generic for B'), { authorization: `Bearer ${B.integrationToken}` }),
      );
      expect(outcome).toMatchObject({
        eventType: 'message_received',
        actions: expect.arrayContaining(['stored_message']),
      });
      expect(handed.slice(before).map((h) => [h.tenantId, h.message.text])).toEqual([[b.id, 'generic for B']]);
      expect((await rows('messages', b.id)).some((m) => m.id === outcome.messageId)).toBe(true);
      // A's token, even naming B, does not get into B.
      const named = await refusal(
        inbound.channelWebhooks.generic(
          'crm',
          hook(event('A as B'), { authorization: `Bearer ${A.integrationToken}` }, { tenant_id: b.id }),
        ),
      );
      expect(named.code).toBe('UNAUTHENTICATED');
      const wrong = await refusal(
        inbound.channelWebhooks.generic('crm', hook(GARBAGE, { authorization: 'Bearer no' })),
      );
      expect(wrong.code).toBe('UNAUTHENTICATED');
      expect(handed.length).toBe(before + 1);
    });
  });

  describe.skipIf(skip)('calls and leads', () => {
    const callBody = (company: string, callId = `CAL${uniq()}`) =>
      JSON.stringify({ resource_id: callId, company_id: company, customer_phone_number: '+15125550142' });
    const callrailHook = (raw: string, key: string) => ({
      rawBody: Buffer.from(raw),
      headers: { 'content-type': 'application/json', signature: signCallRail(key, raw) },
      receivedAt: Date.now(),
    });

    it("hands a signed CallRail call to the intake for its company's tenant", async () => {
      const before = accepted.length;
      const callId = `CAL${uniq()}`;
      const raw = callBody(A.company, callId);
      const result = await inbound.webhookIntake.callrail(callrailHook(raw, A.callrailKey));
      expect(result.requestId).toBe(`req_${before + 1}`);
      expect(accepted.slice(before)).toEqual([
        {
          tenantId: a.id,
          event: expect.objectContaining({
            source: 'callrail',
            externalId: callId,
            dedupeKey: `callrail:${callId}`,
            originalPayload: raw,
            callData: expect.objectContaining({ call_id: callId, company_id: A.company, caller_phone: '+15125550142' }),
          }),
        },
      ]);
    });

    it("refuses a call for B's company signed with A's key, and a company no tenant has", async () => {
      const before = accepted.length;
      const byA = await refusal(inbound.webhookIntake.callrail(callrailHook(callBody(B.company), A.callrailKey)));
      expect(byA.code).toBe('INVALID_SIGNATURE');
      const nobody = await refusal(
        inbound.webhookIntake.callrail(callrailHook(callBody(`INCONOBODY${n}`), A.callrailKey)),
      );
      expect(nobody.code).toBe('NOT_FOUND');
      // Not JSON and wrongly signed: unauthenticated, not a validation error.
      const garbage = await refusal(
        inbound.webhookIntake.callrail({
          rawBody: Buffer.from(GARBAGE),
          headers: { 'content-type': 'application/json', signature: signCallRail('wrong', GARBAGE) },
          receivedAt: Date.now(),
        }),
      );
      expect(garbage.code).toBe('INVALID_SIGNATURE');
      expect(accepted.length).toBe(before);
      // B's own key gets B's call through, to B.
      await inbound.webhookIntake.callrail(callrailHook(callBody(B.company), B.callrailKey));
      expect(accepted.slice(before).map((x) => x.tenantId)).toEqual([b.id]);
    });

    it("hands a lead to the intake as the API key's tenant, and refuses one naming another tenant", async () => {
      const before = accepted.length;
      const body = { customer_name: 'Lee', customer_phone: '+15125550199', source: 'webform', timeline: 'asap' };
      const raw = JSON.stringify(body);
      await inbound.webhookIntake.lead(a.id, {
        rawBody: Buffer.from(raw),
        body,
        headers: { 'content-type': 'application/json' },
        receivedAt: Date.now(),
        idempotencyKey: 'lead-1',
        mode: 'live',
      });
      expect(accepted.slice(before)).toEqual([
        {
          tenantId: a.id,
          event: expect.objectContaining({
            source: 'webform',
            dedupeKey: 'key:lead-1',
            originalPayload: raw,
            callData: expect.objectContaining({ caller_name: 'Lee', caller_phone: '+15125550199', timeline: 'asap' }),
          }),
        },
      ]);
      const asB = { ...body, tenant_id: b.id };
      const err = await refusal(
        inbound.webhookIntake.lead(a.id, {
          rawBody: Buffer.from(JSON.stringify(asB)),
          body: asB,
          headers: { 'content-type': 'application/json' },
          receivedAt: Date.now(),
          mode: 'live',
        }),
      );
      expect(err.code).toBe('FORBIDDEN');
      expect(accepted.length).toBe(before + 1);
    });
  });
});
