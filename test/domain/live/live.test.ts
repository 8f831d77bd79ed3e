import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createConversationStore } from '../../../src/domain/conversations/index.js';
import { AppError } from '../../../src/domain/errors.js';
import { createLiveModule, type LiveBus } from '../../../src/domain/live/index.js';
import { createMemoryLiveBus } from '../../../src/pubsub/memory.live-bus.js';
import type { Db } from '../../../src/store/db.js';
import { dialects, openTestDatabase, type TestDatabase, insertTenantRow } from '../../helpers/db.js';
import { conversationRow } from '../../helpers/conversations.js';
import { Inbox, liveEvent } from '../../contract/live-bus.contract.js';

/** The live module as composition builds it: the conversation core answers whether a conversation exists. */
function liveModule(db: Db, live: LiveBus) {
  const store = createConversationStore(db);
  return createLiveModule({
    live,
    conversationExists: async (tenantId, id) => (await store.conversations.findById(tenantId, id)) !== undefined,
  }).liveUpdates;
}

async function seed(db: Db): Promise<void> {
  const now = new Date().toISOString();
  for (const id of ['tenant_a', 'tenant_b']) {
    await insertTenantRow(db, id, { createdAt: now });
  }
  await db
    .insertInto('conversations')
    .values(conversationRow({ id: 'conv_of_a', tenant_id: 'tenant_a', created_at: now }))
    .execute();
  await db
    .insertInto('conversations')
    .values(conversationRow({ id: 'conv_of_b', tenant_id: 'tenant_b', created_at: now }))
    .execute();
}

const rejectingBus: LiveBus = {
  publish: () => Promise.resolve(),
  subscribe: () => Promise.reject(new Error('Connection is closed.')),
  close: () => Promise.resolve(),
};

for (const { dialect, label, skip } of dialects) {
  describe.skipIf(skip)(`live updates service (${label})`, () => {
    let tdb: TestDatabase;
    beforeEach(async () => {
      tdb = await openTestDatabase(dialect);
      await seed(tdb.database.db);
    });
    afterEach(async () => {
      await tdb.drop();
    });

    it("watches one of the tenant's conversations", async () => {
      const live = createMemoryLiveBus();
      const service = liveModule(tdb.database.db, live);
      const inbox = new Inbox();
      await service.watchConversation('tenant_a', 'conv_of_a', inbox.listener);
      await live.publish(liveEvent('tenant_a', 'conv_of_a'));
      expect(await inbox.waitFor(1)).toHaveLength(1);
    });

    it("refuses another tenant's conversation and an unknown one as NOT_FOUND, subscribing nothing", async () => {
      const live = createMemoryLiveBus();
      const service = liveModule(tdb.database.db, live);
      for (const id of ['conv_of_b', 'conv_nowhere']) {
        const err = await service.watchConversation('tenant_a', id, () => undefined).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(AppError);
        expect(err).toMatchObject({ code: 'NOT_FOUND', resource: 'conversation' });
      }
      expect(live.subscriberCount()).toBe(0);
    });

    it("watches the tenant's conversations only, unless its leads are asked for too", async () => {
      const live = createMemoryLiveBus();
      const service = liveModule(tdb.database.db, live);
      const conversations = new Inbox();
      const both = new Inbox();
      const leads = new Inbox();
      await service.watchTenant('tenant_a', conversations.listener);
      await service.watchTenant('tenant_a', both.listener, ['conversations', 'leads']);
      await service.watchTenant('tenant_a', leads.listener, ['leads']);
      const lead = { ...liveEvent('tenant_a', 'unused', 'lead.created'), conversationId: null };
      await live.publish(lead);
      await live.publish(liveEvent('tenant_a', 'conv_of_a'));
      // The in-process bus delivers as it publishes, so every listener has had both by now.
      expect(conversations.events.map((e) => e.type)).toEqual(['message.created']);
      expect(both.events.map((e) => e.type)).toEqual(['lead.created', 'message.created']);
      expect(leads.events.map((e) => e.type)).toEqual(['lead.created']);
    });

    it('answers UNAVAILABLE when the bus cannot subscribe', async () => {
      const service = liveModule(tdb.database.db, rejectingBus);
      await expect(service.watchTenant('tenant_a', () => undefined)).rejects.toMatchObject({ code: 'UNAVAILABLE' });
      await expect(service.watchConversation('tenant_a', 'conv_of_a', () => undefined)).rejects.toMatchObject({
        code: 'UNAVAILABLE',
      });
    });
  });
}
