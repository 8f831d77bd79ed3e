import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConversationStore } from '../../../src/domain/conversations/index.js';
import { averageHandlingSeconds, DEFAULT_HANDLING_SECONDS } from '../../../src/domain/handoff/index.js';
import { startTestApp, type TestApp } from '../../helpers/app.js';
import { createAgent, seedConversation } from '../../helpers/conversations.js';
import { dialects } from '../../helpers/db.js';

describe('averageHandlingSeconds', () => {
  it('falls back to the documented default when no transfer has completed', () => {
    expect(averageHandlingSeconds([])).toBe(DEFAULT_HANDLING_SECONDS);
    expect(DEFAULT_HANDLING_SECONDS).toBe(300);
  });

  it('averages from acceptance, or from creation when never accepted, to completion', () => {
    expect(
      averageHandlingSeconds([
        {
          createdAt: '2025-06-01T10:00:00Z',
          acceptedAt: '2025-06-01T10:05:00Z',
          completedAt: '2025-06-01T10:15:00Z',
        },
        { createdAt: '2025-06-01T11:00:00Z', acceptedAt: null, completedAt: '2025-06-01T11:20:00Z' },
      ]),
    ).toBe(900);
  });
});

describe.each(dialects)('transfers service on $label', ({ dialect, skip }) => {
  let t: TestApp;

  beforeAll(async () => {
    if (!skip) t = await startTestApp({ dialect });
  });
  afterAll(async () => {
    if (!skip) await t.close();
  });

  it.skipIf(skip)('re-routes a conversation transferred twice: the first transfer leaves the queue', async () => {
    const tenant = await t.createTenant();
    const db = t.deps.database.db;
    const billing = await createAgent(t, tenant.id, { email: 'b@acme.test', department: 'billing' });
    const sales = await createAgent(t, tenant.id, { email: 's@acme.test', department: 'sales' });
    const id = await seedConversation(db, tenant.id, { messages: [{ sender: 'customer', text: 'hi' }] });
    const { transfers } = t.deps.services;
    const first = await transfers.open(tenant.id, {
      conversationId: id,
      reason: 'billing_question',
      priority: 'normal',
      department: 'billing',
      briefing: {},
    });
    const second = await transfers.open(tenant.id, {
      conversationId: id,
      reason: 'actually_sales',
      priority: 'normal',
      department: 'sales',
      briefing: {},
    });
    expect(first.assignedAgent?.id).toBe(billing);
    expect(second.assignedAgent?.id).toBe(sales);
    const rows = await db
      .selectFrom('transfers')
      .select(['id', 'status'])
      .where('tenant_id', '=', tenant.id)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    expect(rows).toEqual([
      { id: first.transferId, status: 'cancelled' },
      { id: second.transferId, status: 'queued' },
    ]);
    const conversation = await db
      .selectFrom('conversations')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(conversation).toMatchObject({
      assigned_agent_id: sales,
      department: 'sales',
      status: 'waiting_agent',
      bot_paused: 1,
      message_count: 3,
    });
  });

  it.skipIf(skip)('matches departments case-insensitively and ignores another tenant’s agents', async () => {
    const tenant = await t.createTenant();
    const other = await t.createTenant();
    await createAgent(t, other.id, { email: 'o@other.test', department: 'Support' });
    const mine = await createAgent(t, tenant.id, { email: 'm@acme.test', department: 'Support' });
    const id = await seedConversation(t.deps.database.db, tenant.id, {
      messages: [{ sender: 'customer', text: 'hi' }],
    });
    const result = await t.deps.services.transfers.open(tenant.id, {
      conversationId: id,
      reason: 'help',
      priority: 'low',
      department: 'support',
      briefing: {},
    });
    expect(result.assignedAgent?.id).toBe(mine);
  });

  it.skipIf(skip)(
    'is the path the conversation core takes on an automatic handoff: the customer asking for a person pauses the bot',
    async () => {
      const tenant = await t.createTenant();
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v2/chat/message',
        headers: { 'x-api-key': tenant.apiKey },
        payload: {
          user_id: 'user_auto',
          channel: 'web',
          content: { type: 'text', text: 'I want to talk to a human agent please' },
        },
      });
      expect(res.statusCode, res.body).toBe(200);
      const conversationId = res.json<{ data: { conversation_id: string } }>().data.conversation_id;
      const db = t.deps.database.db;
      const transfer = await db
        .selectFrom('transfers')
        .selectAll()
        .where('tenant_id', '=', tenant.id)
        .where('conversation_id', '=', conversationId)
        .executeTakeFirstOrThrow();
      expect(transfer).toMatchObject({ status: 'queued', reason: 'requested' });
      expect(JSON.parse(transfer.briefing)).toMatchObject({ reason: 'requested' });
      const conversation = await db
        .selectFrom('conversations')
        .select(['status', 'bot_paused'])
        .where('id', '=', conversationId)
        .executeTakeFirstOrThrow();
      expect(conversation).toEqual({ status: 'waiting_agent', bot_paused: 1 });
      // The bot's reply is the notice, said once: no second system message repeats it.
      const outbound = await db
        .selectFrom('messages')
        .select(['sender', 'text'])
        .where('conversation_id', '=', conversationId)
        .where('direction', '=', 'outbound')
        .execute();
      expect(outbound).toEqual([
        { sender: 'bot', text: expect.stringMatching(/^I'm connecting you with a member of our team\./) },
      ]);

      await t.deps.services.transfers.handBack(tenant.id, conversationId);
      expect(
        await db
          .selectFrom('conversations')
          .select(['status', 'bot_paused'])
          .where('id', '=', conversationId)
          .executeTakeFirstOrThrow(),
      ).toEqual({ status: 'active', bot_paused: 0 });
      expect(
        (await db.selectFrom('transfers').select('status').where('id', '=', transfer.id).executeTakeFirstOrThrow())
          .status,
      ).toBe('completed');
    },
  );

  it.skipIf(skip)(
    'queues the notice and the wait-limit check in the handoff’s own transaction: a rollback leaves neither, a commit both',
    async () => {
      const tenant = await t.createTenant({ configuration: { notifications: { wait_limit_minutes: 7 } } });
      const db = t.deps.database.db;
      const store = createConversationStore(db);
      const { transfers } = t.deps.services;
      const id = await seedConversation(db, tenant.id, { messages: [{ sender: 'customer', text: 'hi' }] });
      const request = { conversationId: id, reason: 'help', priority: 'normal', briefing: {} } as const;
      const jobsOf = (transferId: string) =>
        db
          .selectFrom('jobs')
          .select(['type', 'payload'])
          .where('tenant_id', '=', tenant.id)
          .where('type', 'like', 'handoff.%')
          .orderBy('type')
          .execute()
          .then((rows) =>
            rows.filter((r) => (JSON.parse(r.payload) as { transferId: string }).transferId === transferId),
          );

      const failed = await transfers.planOpen(tenant.id, request);
      const crash = new Error('the process died before the commit');
      await expect(
        store.transaction(async (tx) => {
          await transfers.writeOpen(tx, tenant.id, failed);
          throw crash;
        }),
      ).rejects.toBe(crash);
      expect(await jobsOf(failed.transferId)).toEqual([]);
      expect(await db.selectFrom('transfers').select('id').where('id', '=', failed.transferId).execute()).toEqual([]);

      const plan = await transfers.planOpen(tenant.id, request);
      // Committed but never announced (as if the process died right after the commit): both jobs are there.
      await store.transaction((tx) => transfers.writeOpen(tx, tenant.id, plan));
      const jobs = await jobsOf(plan.transferId);
      expect(jobs.map((j) => j.type)).toEqual(['handoff.notify', 'handoff.wait_limit']);
      expect(JSON.parse(jobs[1]!.payload)).toMatchObject({ minutes: 7 });
    },
  );
});
