import type { ExpressionBuilder } from 'kysely';
import type { Db } from '../../store/db.js';
import type { Tables } from '../../store/tables.js';
import type { TimeRange } from './chat-usage.repo.js';

/**
 * What the app's analytics page reads for a range of time: the leads created in it (every channel
 * writes the one `leads` table), the appointments and first conversations of those leads' people,
 * the messages of the range, and what scoring and speech-to-text cost. Live rows only (a test key's
 * never count), always of one tenant; reads only.
 */

const LIVE = 1;

/** A lead created in the range. */
export interface RangeLead {
  id: string;
  contactId: string | null;
  tier: string | null;
  wonAt: string | null;
  createdAt: string;
}

/** An appointment of one of those leads, by its lead or its person. */
export interface RangeAppointment {
  leadId: string | null;
  contactId: string | null;
  status: string;
  createdAt: string;
}

/** When a person (or a lead) first wrote, over their conversations. */
export interface FirstConversation {
  contactId: string | null;
  leadId: string | null;
  createdAt: string;
}

/** A message of the range, in conversation order. */
export interface RangeMessage {
  conversationId: string;
  sender: string;
  createdAt: string;
}

export type RangeFiguresReadModel = ReturnType<typeof createRangeFiguresReadModel>;

export function createRangeFiguresReadModel(db: Db) {
  return { ...leadReads(db), ...costReads(db) };
}

/** The leads of a range and what became of them. */
function leadReads(db: Db) {
  const leadsOfRange = (tenantId: string, range: TimeRange) =>
    db
      .selectFrom('leads')
      .where('tenant_id', '=', tenantId)
      .where('livemode', '=', LIVE)
      .where('created_at', '>=', range.from)
      .where('created_at', '<', range.to);
  /** A row of a lead of the range, or of one of those leads' people. */
  const ofRangeLeads =
    (tenantId: string, range: TimeRange) => (eb: ExpressionBuilder<Tables, 'appointment_requests' | 'conversations'>) =>
      eb.or([
        eb('lead_id', 'in', leadsOfRange(tenantId, range).select('id')),
        eb('contact_id', 'in', leadsOfRange(tenantId, range).select('contact_id')),
      ]);

  return {
    async leads(tenantId: string, range: TimeRange): Promise<RangeLead[]> {
      const rows = await leadsOfRange(tenantId, range)
        .select(['id', 'contact_id', 'tier', 'won_at', 'created_at'])
        .execute();
      return rows.map((r) => ({
        id: r.id,
        contactId: r.contact_id,
        tier: r.tier,
        wonAt: r.won_at,
        createdAt: r.created_at,
      }));
    },

    /** Appointments tied to a lead of the range, through the lead or the lead's person, whenever made. */
    async appointments(tenantId: string, range: TimeRange): Promise<RangeAppointment[]> {
      const rows = await db
        .selectFrom('appointment_requests')
        .select(['lead_id', 'contact_id', 'status', 'created_at'])
        .where('tenant_id', '=', tenantId)
        .where('livemode', '=', LIVE)
        .where(ofRangeLeads(tenantId, range))
        .execute();
      return rows.map((r) => ({
        leadId: r.lead_id,
        contactId: r.contact_id,
        status: r.status,
        createdAt: r.created_at,
      }));
    },

    /** The first conversation of each person and lead of the range. */
    async firstConversations(tenantId: string, range: TimeRange): Promise<FirstConversation[]> {
      const rows = await db
        .selectFrom('conversations')
        .select((eb) => ['contact_id', 'lead_id', eb.fn.min<string>('created_at').as('first')])
        .where('tenant_id', '=', tenantId)
        .where('livemode', '=', LIVE)
        .where(ofRangeLeads(tenantId, range))
        .groupBy(['contact_id', 'lead_id'])
        .execute();
      return rows.map((r) => ({ contactId: r.contact_id, leadId: r.lead_id, createdAt: r.first }));
    },

    /** Visitors' messages and the replies to them (system notes left out), by conversation then time. */
    async messages(tenantId: string, range: TimeRange): Promise<RangeMessage[]> {
      const rows = await db
        .selectFrom('messages')
        .select(['conversation_id', 'sender', 'created_at'])
        .where('tenant_id', '=', tenantId)
        .where('livemode', '=', LIVE)
        .where('sender', 'in', ['customer', 'bot', 'agent'])
        .where('created_at', '>=', range.from)
        .where('created_at', '<', range.to)
        .orderBy('conversation_id')
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      return rows.map((r) => ({ conversationId: r.conversation_id, sender: r.sender, createdAt: r.created_at }));
    },
  };
}

/** What the range's analyses and transcriptions cost. */
function costReads(db: Db) {
  return {
    /** What scoring cost: every channel's qualification stores its analysis's price with the score. */
    async aiCostUsd(tenantId: string, range: TimeRange): Promise<number> {
      const row = await db
        .selectFrom('lead_scores as s')
        .innerJoin('leads as l', (j) => j.onRef('l.id', '=', 's.lead_id').onRef('l.tenant_id', '=', 's.tenant_id'))
        .select((eb) => eb.fn.sum<number>('s.cost_usd').as('cost'))
        .where('s.tenant_id', '=', tenantId)
        .where('l.livemode', '=', LIVE)
        .where('s.created_at', '>=', range.from)
        .where('s.created_at', '<', range.to)
        .executeTakeFirstOrThrow();
      return Number(row.cost ?? 0);
    },

    /** What transcribing cost: the call pipeline's speech-to-text steps of requests received in the range. */
    async sttCostUsd(tenantId: string, range: TimeRange): Promise<number> {
      const row = await db
        .selectFrom('ingestion_steps as s')
        .innerJoin('ingestion_requests as r', (j) =>
          j.onRef('r.id', '=', 's.request_id').onRef('r.tenant_id', '=', 's.tenant_id'),
        )
        .select((eb) => eb.fn.sum<number>('s.cost_usd').as('cost'))
        .where('s.tenant_id', '=', tenantId)
        .where('s.step', '=', 'speech_to_text')
        .where('r.livemode', '=', LIVE)
        .where('r.created_at', '>=', range.from)
        .where('r.created_at', '<', range.to)
        .executeTakeFirstOrThrow();
      return Number(row.cost ?? 0);
    },
  };
}
