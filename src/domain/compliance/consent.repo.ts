import type { ConsentEventsTable } from '../../store/tables.js';
import type { Db } from '../../store/db.js';

/** Consent rows ↔ records; every function takes the tenant first and filters by it. */

export type ConsentChange = 'opt_out' | 'opt_in';
export type ConsentSource = 'keyword' | 'phrase' | 'operator';

/** One change of consent, as stored. */
export interface ConsentEvent {
  id: string;
  phone: string;
  channel: string;
  change: ConsentChange;
  source: ConsentSource;
  evidence: string | null;
  createdAt: string;
}

function toRecord(row: ConsentEventsTable): ConsentEvent {
  return {
    id: row.id,
    phone: row.phone,
    channel: row.channel,
    change: row.change as ConsentChange,
    source: row.source as ConsentSource,
    evidence: row.evidence,
    createdAt: row.created_at,
  };
}

export type ConsentRepo = ReturnType<typeof createConsentRepo>;

export function createConsentRepo(db: Db) {
  return {
    async insert(tenantId: string, e: ConsentEvent): Promise<void> {
      await db
        .insertInto('consent_events')
        .values({
          id: e.id,
          tenant_id: tenantId,
          phone: e.phone,
          channel: e.channel,
          change: e.change,
          source: e.source,
          evidence: e.evidence,
          created_at: e.createdAt,
        })
        .execute();
    },

    /** The change in force for a phone on a channel: the latest one. */
    async latest(tenantId: string, phone: string, channel: string): Promise<ConsentEvent | undefined> {
      const row = await db
        .selectFrom('consent_events')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('phone', '=', phone)
        .where('channel', '=', channel)
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirst();
      return row && toRecord(row);
    },

    /** Every change for a phone, oldest first. */
    async history(tenantId: string, phone: string): Promise<ConsentEvent[]> {
      const rows = await db
        .selectFrom('consent_events')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('phone', '=', phone)
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      return rows.map(toRecord);
    },
  };
}
