import type { Db } from '../../store/db.js';

/**
 * What the chat usage figures count, read from the tables the conversation, handoff and webhook
 * concepts write; it never writes. Times are ISO text in both dialects, so ranges compare strings,
 * and only live conversations count: what a test key wrote is not usage.
 */

const LIVE = 1;

/** A half-open time range, `[from, to)`, of ISO timestamps. */
export interface TimeRange {
  from: string;
  to: string;
}

export type ChatUsageReadModel = ReturnType<typeof createChatUsageReadModel>;

export function createChatUsageReadModel(db: Db) {
  return {
    /** Conversations started in the range. */
    async conversationsStarted(tenantId: string, range: TimeRange): Promise<number> {
      const row = await db
        .selectFrom('conversations')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('tenant_id', '=', tenantId)
        .where('livemode', '=', LIVE)
        .where('created_at', '>=', range.from)
        .where('created_at', '<', range.to)
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },

    /** Conversations closed in the range, by resolution (`resolved`, `unresolved`, `spam`, …). */
    async closedByResolution(tenantId: string, range: TimeRange): Promise<{ resolution: string; n: number }[]> {
      const rows = await db
        .selectFrom('conversations')
        .select((eb) => ['resolution', eb.fn.countAll<number>().as('n')])
        .where('tenant_id', '=', tenantId)
        .where('livemode', '=', LIVE)
        .where('status', '=', 'closed')
        .where('closed_at', '>=', range.from)
        .where('closed_at', '<', range.to)
        .groupBy('resolution')
        .execute();
      // A conversation closed before resolutions were recorded counts as resolved, as its summary says.
      return rows.map((r) => ({ resolution: r.resolution ?? 'resolved', n: Number(r.n) }));
    },

    /** Conversations handed to a human in the range (each once, however often it was transferred). */
    async conversationsTransferred(tenantId: string, range: TimeRange): Promise<number> {
      const row = await db
        .selectFrom('transfers as t')
        .innerJoin('conversations as c', (j) =>
          j.onRef('c.id', '=', 't.conversation_id').onRef('c.tenant_id', '=', 't.tenant_id'),
        )
        .select((eb) => eb.fn.count<number>('t.conversation_id').distinct().as('n'))
        .where('t.tenant_id', '=', tenantId)
        .where('c.livemode', '=', LIVE)
        .where('t.created_at', '>=', range.from)
        .where('t.created_at', '<', range.to)
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },

    /** Messages stored in the range, by direction and channel. */
    async messagesByDirectionAndChannel(
      tenantId: string,
      range: TimeRange,
    ): Promise<{ direction: string; channel: string; n: number }[]> {
      const rows = await db
        .selectFrom('messages')
        .select((eb) => ['direction', 'channel', eb.fn.countAll<number>().as('n')])
        .where('tenant_id', '=', tenantId)
        .where('livemode', '=', LIVE)
        .where('created_at', '>=', range.from)
        .where('created_at', '<', range.to)
        .groupBy(['direction', 'channel'])
        .execute();
      return rows.map((r) => ({ direction: r.direction, channel: r.channel, n: Number(r.n) }));
    },

    /** Calls made to the tenant's webhook endpoints in the range, every attempt counted. */
    async webhookAttempts(tenantId: string, range: TimeRange): Promise<number> {
      const row = await db
        .selectFrom('webhook_attempts')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('tenant_id', '=', tenantId)
        .where('requested_at', '>=', range.from)
        .where('requested_at', '<', range.to)
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
  };
}
