import type { Db } from '../../store/db.js';

/** Installation-wide counts, across tenants; test-key rows are never counted. */
export interface PlatformCounts {
  tenants: { total: number; active: number; trial: number };
  /** Phone calls taken or placed: tracked calls (CallRail) and voice sessions. */
  callsMade: number;
  leadsGenerated: number;
}

export interface PlatformStatsRepo {
  counts(): Promise<PlatformCounts>;
}

export function createPlatformStatsRepo(db: Db): PlatformStatsRepo {
  return {
    async counts() {
      const [tenants, leads, tracked, voice] = await Promise.all([
        db
          .selectFrom('tenants')
          .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
          .groupBy('status')
          .execute(),
        db
          .selectFrom('leads')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('livemode', '=', 1)
          .executeTakeFirst(),
        db
          .selectFrom('ingestion_requests')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('source_type', '=', 'callrail')
          .where('livemode', '=', 1)
          .executeTakeFirst(),
        db
          .selectFrom('chat_sessions')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('channel', '=', 'voice')
          .where('livemode', '=', 1)
          .executeTakeFirst(),
      ]);
      const byStatus = (status: string) => Number(tenants.find((t) => t.status === status)?.n ?? 0);
      return {
        tenants: {
          total: tenants.reduce((a, t) => a + Number(t.n), 0),
          active: byStatus('active'),
          trial: byStatus('trial'),
        },
        callsMade: Number(tracked?.n ?? 0) + Number(voice?.n ?? 0),
        leadsGenerated: Number(leads?.n ?? 0),
      };
    },
  };
}
