import type { Db } from '../../store/db.js';

/**
 * The platform's chat load across every tenant, for the operator's health metrics. These are the
 * only analytics queries not bound to one tenant: they return two counts and no tenant's rows.
 */
export type PlatformActivityReadModel = ReturnType<typeof createPlatformActivityReadModel>;

export function createPlatformActivityReadModel(db: Db) {
  return {
    /** Open conversations (not closed) with a message since `from`. */
    async activeConversationsSince(from: string): Promise<number> {
      const row = await db
        .selectFrom('conversations')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('status', '!=', 'closed')
        .where('last_message_at', '>=', from)
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },

    /** Customer messages received since `from`: each is one the platform processed. */
    async inboundMessagesSince(from: string): Promise<number> {
      const row = await db
        .selectFrom('messages')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('direction', '=', 'inbound')
        .where('created_at', '>=', from)
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
  };
}
