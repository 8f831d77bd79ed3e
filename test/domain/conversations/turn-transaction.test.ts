import { DeleteQueryNode, InsertQueryNode, UpdateQueryNode, type KyselyPlugin, type RootOperationNode } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialogConfigFrom } from '../../../src/domain/ai/index.js';
import { createAppointmentsModule } from '../../../src/domain/appointments/index.js';
import {
  createConversationsModule,
  type InboundMessage,
  type InboxService,
} from '../../../src/domain/conversations/index.js';
import { createDialogEngine } from '../../../src/engine/dialog/dialog-engine.js';
import { newId } from '../../../src/lib/ids.js';
import { startTestApp, type TestApp } from '../../helpers/app.js';
import { dialects } from '../../helpers/db.js';

/** Throws on the Nth write statement once armed: a database failing between the turn's statements. */
function writeFault() {
  let remaining = 0;
  const isWrite = (node: RootOperationNode) =>
    InsertQueryNode.is(node) || UpdateQueryNode.is(node) || DeleteQueryNode.is(node);
  const plugin: KyselyPlugin = {
    transformQuery({ node }) {
      if (remaining > 0 && isWrite(node)) {
        remaining -= 1;
        if (remaining === 0) throw new Error('injected write fault');
      }
      return node;
    },
    transformResult: ({ result }) => Promise.resolve(result),
  };
  return { plugin, failOnWrite: (n: number) => (remaining = n), disarm: () => (remaining = 0) };
}

let seq = 0;
function webMessage(text: string): InboundMessage {
  seq += 1;
  return {
    channel: 'web',
    externalMessageId: `client-msg-${seq}`,
    platformUserId: 'visitor-1',
    text,
    receivedAt: new Date(),
  };
}

describe.each(dialects)('a chat turn commits all or nothing on $label', ({ dialect, skip }) => {
  let t: TestApp;
  let inbox: InboxService;
  const fault = writeFault();

  beforeAll(async () => {
    if (skip) return;
    t = await startTestApp({ dialect });
    const s = t.deps.services;
    const db = t.deps.database.db.withPlugin(fault.plugin);
    inbox = createConversationsModule({
      db,
      clock: t.deps.clock,
      ai: s.tenantAi,
      dialog: createDialogEngine(),
      dialogConfig: async (tenantId) => dialogConfigFrom(await s.tenants.get(tenantId)),
      contacts: s.contacts,
      sessions: s.sessions,
      leads: s.leads,
      appointments: createAppointmentsModule({ db, clock: t.deps.clock, contacts: s.contacts, tenants: s.tenants })
        .appointments,
      handoff: s.transfers,
      live: t.deps.live,
      usage: s.usage,
      counters: t.deps.metrics,
    }).inbox;
  });
  afterAll(async () => {
    if (!skip) await t.close();
  });

  const snapshot = async (tenantId: string) => {
    const db = t.deps.database.db;
    return {
      messages: await db.selectFrom('messages').selectAll().where('tenant_id', '=', tenantId).orderBy('id').execute(),
      conversations: await db
        .selectFrom('conversations')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .orderBy('id')
        .execute(),
    };
  };

  it.skipIf(skip)(
    'leaves neither the message, nor the reply, nor the conversation update when a write fails midway; the same message then succeeds once',
    async () => {
      const tenant = await t.createTenant({ plan: 'enterprise' });
      const first = await inbox.chat(tenant.id, webMessage('What are your opening hours?'), {
        conversationId: 'conv_turn_tx_1',
        mode: 'live',
      });
      expect(first.reply).not.toBeNull();
      const before = await snapshot(tenant.id);

      const message = webMessage('Do you do bathroom remodels?');
      // Every statement of the turn fails in turn: the inbound message, its count, the reply, the conversation's state, the reply's count.
      for (const n of [1, 2, 3, 4, 5]) {
        fault.failOnWrite(n);
        await expect(
          inbox.chat(tenant.id, message, { conversationId: 'conv_turn_tx_1', mode: 'live' }),
        ).rejects.toThrow();
        fault.disarm();
        expect(await snapshot(tenant.id)).toEqual(before);
      }

      const turn = await inbox.chat(tenant.id, message, { conversationId: 'conv_turn_tx_1', mode: 'live' });
      expect(turn.duplicate).toBe(false);
      expect(turn.reply?.text).toEqual(expect.any(String));
      const after = await snapshot(tenant.id);
      const inbound = after.messages.filter((m) => m.external_id === message.externalMessageId);
      expect(inbound).toHaveLength(1);
      expect(inbound[0]).toMatchObject({ id: turn.inbound.id, status: 'processed' });
      expect(after.messages.filter((m) => m.reply_to_id === turn.inbound.id)).toEqual([
        expect.objectContaining({ id: turn.reply!.id, direction: 'outbound' }),
      ]);
      expect(after.messages).toHaveLength(before.messages.length + 2);
      expect(after.conversations[0]!.message_count).toBe(before.conversations[0]!.message_count + 2);

      const replay = await inbox.chat(tenant.id, message, { conversationId: 'conv_turn_tx_1', mode: 'live' });
      expect(replay).toEqual({ ...turn, duplicate: true });
    },
  );

  it.skipIf(skip)('creates no conversation when the first message of a new one fails to commit', async () => {
    const tenant = await t.createTenant({ plan: 'enterprise' });
    const message = webMessage('Hello there');
    // The conversation, the message, its count and then the reply.
    for (const n of [1, 2, 3, 4]) {
      fault.failOnWrite(n);
      await expect(
        inbox.chat(tenant.id, message, { conversationId: 'conv_turn_tx_2', mode: 'live' }),
      ).rejects.toThrow();
      fault.disarm();
      expect(await snapshot(tenant.id)).toEqual({ messages: [], conversations: [] });
    }

    const turn = await inbox.chat(tenant.id, message, { conversationId: 'conv_turn_tx_2', mode: 'live' });
    expect(turn.conversationId).toBe('conv_turn_tx_2');
    const after = await snapshot(tenant.id);
    expect(after.conversations).toEqual([expect.objectContaining({ id: 'conv_turn_tx_2', message_count: 2 })]);
    expect(after.messages).toHaveLength(2);
  });

  /** A webhook endpoint the tenant has for `lead.qualified` (stored directly: its URL is never called here). */
  const subscribeToLeads = async (tenantId: string) => {
    const at = new Date().toISOString();
    await t.deps.database.db
      .insertInto('webhook_endpoints')
      .values({
        id: newId('whk'),
        tenant_id: tenantId,
        url: 'https://hooks.example.test/leads',
        events: JSON.stringify(['lead.qualified']),
        sealed_secret: t.deps.box.seal('whsec_test'),
        status: 'active',
        consecutive_failures: 0,
        failing_since: null,
        disabled_at: null,
        disabled_reason: null,
        created_at: at,
        updated_at: at,
      })
      .execute();
  };

  const outbox = async (tenantId: string) => {
    const db = t.deps.database.db;
    return {
      leads: await db.selectFrom('leads').select('id').where('tenant_id', '=', tenantId).execute(),
      deliveries: await db
        .selectFrom('webhook_deliveries')
        .select(['id', 'event_type'])
        .where('tenant_id', '=', tenantId)
        .execute(),
      jobs: await db
        .selectFrom('jobs')
        .select(['id', 'payload'])
        .where('tenant_id', '=', tenantId)
        .where('type', '=', 'webhook.deliver')
        .execute(),
    };
  };

  it.skipIf(skip)(
    "queues the lead's webhook in the turn's transaction: absent whenever the turn fails to commit, present once it commits",
    async () => {
      const tenant = await t.createTenant({
        plan: 'enterprise',
        configuration: { chatbot: { collect_fields: ['name', 'phone'] } },
      });
      await subscribeToLeads(tenant.id);
      const conversationId = 'conv_turn_tx_lead';
      for (const text of ['I need a quote for a kitchen remodel', 'John Smith', '415-555-2671'])
        await inbox.chat(tenant.id, webMessage(text), { conversationId, mode: 'live' });
      const before = await snapshot(tenant.id);
      expect(await outbox(tenant.id)).toEqual({ leads: [], deliveries: [], jobs: [] });

      // The confirmation completes the lead: every write of its turn fails in turn, until none is left to fail.
      const message = webMessage('yes');
      let failures = 0;
      for (let n = 1; ; n += 1) {
        fault.failOnWrite(n);
        const outcome = await inbox.chat(tenant.id, message, { conversationId, mode: 'live' }).then(
          () => 'committed' as const,
          () => 'failed' as const,
        );
        fault.disarm();
        if (outcome === 'committed') break;
        failures += 1;
        expect(await snapshot(tenant.id)).toEqual(before);
        expect(await outbox(tenant.id)).toEqual({ leads: [], deliveries: [], jobs: [] });
      }
      // The message, its count, the lead, its score, the delivery, its job, the reply, the state and the reply's count.
      expect(failures).toBeGreaterThanOrEqual(9);

      const after = await outbox(tenant.id);
      expect(after.leads).toHaveLength(1);
      expect(after.deliveries).toEqual([{ id: expect.stringMatching(/^dlv_/), event_type: 'lead.qualified' }]);
      expect(after.jobs).toHaveLength(1);
      expect(JSON.parse(after.jobs[0]!.payload)).toMatchObject({
        tenantId: tenant.id,
        deliveryId: after.deliveries[0]!.id,
      });
    },
  );
});
