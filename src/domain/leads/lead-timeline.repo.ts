import type { ExpressionBuilder } from 'kysely';
import type { Db } from '../../store/db.js';
import { fromJson } from '../../store/json.js';
import type { Tables } from '../../store/tables.js';
import { LEAD_STATUS_CHANGED } from './lead-events.js';

/**
 * The lead timeline's read model: it reads the rows other concepts write about a lead and its
 * person (scores, spec A requests, conversations and their handoffs, appointments, CRM syncs) and
 * never writes. Every query is bounded by the tenant.
 */

export interface ScoreRow {
  at: string;
  score: number;
  tier: string;
}
export interface RequestRow {
  id: string;
  at: string;
  sourceType: string;
  status: string;
}
export interface ConversationRow {
  id: string;
  channel: string;
  startedAt: string;
  closedAt: string | null;
  resolution: string | null;
}
export interface HandoffRow {
  conversationId: string;
  at: string;
  department: string | null;
}
export interface AppointmentRow {
  id: string;
  status: string;
  source: string;
  requestedAt: string;
  changedAt: string;
  startTime: string | null;
  cancelReason: string | null;
}
export interface StatusRow {
  at: string;
  from: string | null;
  to: string | null;
}
export interface CrmSyncRow {
  at: string;
  crm: string;
  status: string;
  recordId: string | null;
  error: string | null;
}

/** What is stored about one lead, as the timeline reads it. */
export interface LeadTrail {
  scores: ScoreRow[];
  requests: RequestRow[];
  conversations: ConversationRow[];
  handoffs: HandoffRow[];
  appointments: AppointmentRow[];
  crmSyncs: CrmSyncRow[];
  /** The lead's recorded status edits. */
  statuses: StatusRow[];
}

/** The person's rows, and any row that names the lead itself (the lead alone when it has no person). */
const ofPersonOrLead =
  (leadId: string, contactId: string | null) =>
  (eb: ExpressionBuilder<Tables, 'conversations' | 'appointment_requests'>) =>
    contactId ? eb.or([eb('contact_id', '=', contactId), eb('lead_id', '=', leadId)]) : eb('lead_id', '=', leadId);

export type LeadTimelineRepo = ReturnType<typeof createLeadTimelineRepo>;

export function createLeadTimelineRepo(db: Db) {
  /** The person's conversations, and any conversation that names the lead itself. */
  async function conversations(tenantId: string, leadId: string, contactId: string | null) {
    const rows = await db
      .selectFrom('conversations')
      .select(['id', 'channel', 'created_at', 'closed_at', 'resolution'])
      .where('tenant_id', '=', tenantId)
      .where(ofPersonOrLead(leadId, contactId))
      .execute();
    return rows.map((r) => ({
      id: r.id,
      channel: r.channel,
      startedAt: r.created_at,
      closedAt: r.closed_at,
      resolution: r.resolution,
    }));
  }

  async function handoffs(tenantId: string, conversationIds: string[]): Promise<HandoffRow[]> {
    if (conversationIds.length === 0) return [];
    const rows = await db
      .selectFrom('transfers')
      .select(['conversation_id', 'created_at', 'department'])
      .where('tenant_id', '=', tenantId)
      .where('conversation_id', 'in', conversationIds)
      .execute();
    return rows.map((r) => ({ conversationId: r.conversation_id, at: r.created_at, department: r.department }));
  }

  async function appointments(tenantId: string, leadId: string, contactId: string | null): Promise<AppointmentRow[]> {
    const rows = await db
      .selectFrom('appointment_requests')
      .select(['id', 'status', 'source', 'created_at', 'updated_at', 'start_time', 'cancel_reason'])
      .where('tenant_id', '=', tenantId)
      .where(ofPersonOrLead(leadId, contactId))
      .execute();
    return rows.map((r) => ({
      id: r.id,
      status: r.status,
      source: r.source ?? 'chat',
      requestedAt: r.created_at,
      changedAt: r.updated_at,
      startTime: r.start_time ?? null,
      cancelReason: r.cancel_reason ?? null,
    }));
  }

  return {
    async trail(tenantId: string, leadId: string, contactId: string | null): Promise<LeadTrail> {
      const [own, convs, appts] = await Promise.all([
        leadRows(db, tenantId, leadId),
        conversations(tenantId, leadId, contactId),
        appointments(tenantId, leadId, contactId),
      ]);
      const ids = convs.map((c) => c.id);
      return { ...own, conversations: convs, handoffs: await handoffs(tenantId, ids), appointments: appts };
    },
  };
}

const statusOf = (json: string | null): string | null => {
  const value = fromJson<{ status?: unknown } | null>(json, null);
  return typeof value?.status === 'string' ? value.status : null;
};

/** The rows that name the lead itself: its scores, the requests that made it, its CRM syncs, its status edits. */
async function leadRows(db: Db, tenantId: string, leadId: string) {
  const [scores, requests, syncs, statuses] = await Promise.all([
    db
      .selectFrom('lead_scores')
      .select(['created_at', 'score', 'tier'])
      .where('tenant_id', '=', tenantId)
      .where('lead_id', '=', leadId)
      .execute(),
    db
      .selectFrom('ingestion_requests')
      .select(['id', 'created_at', 'source_type', 'status'])
      .where('tenant_id', '=', tenantId)
      .where('lead_id', '=', leadId)
      .execute(),
    db
      .selectFrom('crm_syncs')
      .select(['created_at', 'crm_type', 'status', 'crm_record_id', 'error'])
      .where('tenant_id', '=', tenantId)
      .where('lead_id', '=', leadId)
      .execute(),
    db
      .selectFrom('audit_log')
      .select(['created_at', 'before', 'after'])
      .where('tenant_id', '=', tenantId)
      .where('target_type', '=', 'lead')
      .where('target_id', '=', leadId)
      .where('action', '=', LEAD_STATUS_CHANGED)
      .execute(),
  ]);
  return {
    scores: scores.map((r): ScoreRow => ({ at: r.created_at, score: Number(r.score), tier: r.tier })),
    requests: requests.map((r): RequestRow => ({
      id: r.id,
      at: r.created_at,
      sourceType: r.source_type,
      status: r.status,
    })),
    statuses: statuses.map((r): StatusRow => ({ at: r.created_at, from: statusOf(r.before), to: statusOf(r.after) })),
    crmSyncs: syncs.map((r): CrmSyncRow => ({
      at: r.created_at,
      crm: r.crm_type,
      status: r.status,
      recordId: r.crm_record_id,
      error: r.error,
    })),
  };
}
