import type { AnalysisResult } from '../../engine/analysis.schema.js';
import type { Db } from '../../store/db.js';
import { reassignContactRows } from '../../store/contact-rows.js';
import { fromJson, toJson } from '../../store/json.js';
import type { LeadsTable } from '../../store/tables.js';
import type { DataMode } from '../actor.js';
import type { Tx } from '../transaction.js';
import type { Lead, ScoreHistoryEntry } from './leads.records.js';

/** The database the leads repositories are made on. */
export type LeadsDb = Db;
/** A transaction another concept holds open (a chat turn's); the lead's writes join it. */
export type LeadsTx = Tx;

/** What a qualification writes on a lead, new or known; name, company and phone only when given. */
export interface LeadQualification {
  name?: string | undefined;
  company?: string | undefined;
  phone?: string | undefined;
  message: string | null;
  source: string;
  metadata: Record<string, unknown>;
  analysis: AnalysisResult;
  processingTimeMs: number;
  /** Set when the lead's phone or e-mail named a contact; a known lead keeps its contact otherwise. */
  contactId?: string | undefined;
  at: string;
}

export interface NewLead extends LeadQualification {
  id: string;
  email: string | null;
  mode: DataMode;
  /** Spec B's place and trade; a channel that does not know them leaves them out. */
  place?: LeadPlace;
}

export interface LeadPlace {
  city?: string | null | undefined;
  niche?: string | null | undefined;
  category?: string | null | undefined;
}

export interface LeadsRepo {
  findById(tenantId: string, id: string): Promise<Lead | undefined>;
  /** A test lead never answers for a live one's e-mail or phone, nor the other way round. */
  findByEmail(tenantId: string, mode: DataMode, email: string): Promise<Lead | undefined>;
  /** The oldest lead of the mode with this phone. */
  findByPhone(tenantId: string, mode: DataMode, phone: string): Promise<Lead | undefined>;
  /** Inserts, or returns false when the e-mail already has a lead (a concurrent qualify won the race). */
  insert(tenantId: string, lead: NewLead): Promise<boolean>;
  /** Writes a new qualification on a known lead; `email` fills one the lead lacked. */
  requalify(tenantId: string, id: string, q: LeadQualification, email?: string): Promise<void>;
  setStatus(tenantId: string, id: string, patch: { status: string; wonAt: string | null; at: string }): Promise<void>;
  insertScore(
    tenantId: string,
    score: { id: string; leadId: string; analysis: AnalysisResult; at: string },
  ): Promise<void>;
  listScores(tenantId: string, leadId: string): Promise<ScoreHistoryEntry[]>;
  /** Mean processing time of the tenant's 100 latest qualifications; null before the first. */
  recentProcessingMs(tenantId: string): Promise<number | null>;
  /** Every lead of `fromContactId` now belongs to `toContactId` (two contacts found to be one person). */
  reassignContact(tenantId: string, fromContactId: string, toContactId: string): Promise<void>;
  /** Runs `fn` in a transaction, or in the one this repository is already bound to. */
  transaction<T>(fn: (tx: LeadsTx) => Promise<T>): Promise<T>;
  /** The same repository inside a caller's transaction. */
  within(tx: LeadsTx): LeadsRepo;
}

/** Test-key rows are stored with livemode false. */
const modeOfRow = (livemode: LeadsTable['livemode']): DataMode =>
  livemode === undefined || Boolean(livemode) ? 'live' : 'test';

export function toLead(r: LeadsTable): Lead {
  return {
    id: r.id,
    email: r.email,
    name: r.name,
    company: r.company,
    phone: r.phone,
    source: r.source,
    status: r.status,
    score: r.score,
    tier: r.tier,
    intent: r.intent,
    recommendedAction: r.recommended_action,
    analysis: fromJson<AnalysisResult | null>(r.analysis, null),
    processingTimeMs: r.processing_time_ms,
    qualifiedAt: r.qualified_at,
    wonAt: r.won_at,
    contactId: r.contact_id,
    mode: modeOfRow(r.livemode),
    city: r.city ?? null,
    niche: r.niche ?? null,
    category: r.category ?? null,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** The columns a qualification sets. */
function qualifiedColumns(q: LeadQualification) {
  const a = q.analysis;
  return {
    ...(q.name ? { name: q.name } : {}),
    ...(q.company ? { company: q.company } : {}),
    ...(q.phone ? { phone: q.phone } : {}),
    ...(q.contactId ? { contact_id: q.contactId } : {}),
    message: q.message,
    source: q.source,
    metadata: toJson(q.metadata),
    score: a.score,
    tier: a.tier,
    intent: a.intent,
    recommended_action: a.recommended_action,
    analysis: toJson(a),
    enrichment: toJson(a.enrichment),
    processing_time_ms: q.processingTimeMs,
    qualified_at: q.at,
    updated_at: q.at,
  };
}

export function createLeadsRepo(db: Db): LeadsRepo {
  const findBy = async (tenantId: string, column: 'id' | 'email' | 'phone', value: string, mode?: DataMode) => {
    let q = db.selectFrom('leads').selectAll().where('tenant_id', '=', tenantId).where(column, '=', value);
    if (mode) q = q.where('livemode', '=', mode === 'live' ? 1 : 0);
    const row = await q.orderBy('created_at').executeTakeFirst();
    return row && toLead(row);
  };

  const repo: LeadsRepo = {
    findById: (tenantId, id) => findBy(tenantId, 'id', id),

    findByEmail: (tenantId, mode, email) => findBy(tenantId, 'email', email, mode),
    findByPhone: (tenantId, mode, phone) => findBy(tenantId, 'phone', phone, mode),

    insert: (tenantId, lead) => insertLead(db, tenantId, lead),

    async requalify(tenantId, id, q, email) {
      await db
        .updateTable('leads')
        .set({ ...qualifiedColumns(q), ...(email ? { email } : {}) })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .execute();
    },

    async setStatus(tenantId, id, { status, wonAt, at }) {
      await db
        .updateTable('leads')
        .set({ status, won_at: wonAt, updated_at: at })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .execute();
    },

    insertScore: (tenantId, score) => insertScore(db, tenantId, score),

    async listScores(tenantId, leadId) {
      const rows = await db
        .selectFrom('lead_scores')
        .select(['score', 'tier', 'provider', 'model', 'created_at'])
        .where('tenant_id', '=', tenantId)
        .where('lead_id', '=', leadId)
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      return rows.map((r) => ({
        score: r.score,
        tier: r.tier,
        provider: r.provider,
        model: r.model,
        createdAt: r.created_at,
      }));
    },

    recentProcessingMs: (tenantId) => recentProcessingMs(db, tenantId),

    reassignContact: (tenantId, fromContactId, toContactId) =>
      reassignContactRows(db, 'leads', tenantId, fromContactId, toContactId),

    // A repository bound to a caller's transaction holds that Transaction; it joins rather than nests.
    transaction: (fn) => (db.isTransaction ? fn(db as Tx) : db.transaction().execute(fn)),

    within: (tx) => createLeadsRepo(tx),
  };
  return repo;
}

async function recentProcessingMs(db: Db, tenantId: string): Promise<number | null> {
  const rows = await db
    .selectFrom('leads')
    .select('processing_time_ms')
    .where('tenant_id', '=', tenantId)
    .where('processing_time_ms', 'is not', null)
    .orderBy('qualified_at', 'desc')
    .limit(100)
    .execute();
  if (rows.length === 0) return null;
  return rows.reduce((a, r) => a + (r.processing_time_ms ?? 0), 0) / rows.length;
}

async function insertLead(db: Db, tenantId: string, lead: NewLead): Promise<boolean> {
  const result = await db
    .insertInto('leads')
    .values({
      id: lead.id,
      tenant_id: tenantId,
      email: lead.email,
      name: lead.name ?? null,
      company: lead.company ?? null,
      phone: lead.phone ?? null,
      contact_id: lead.contactId ?? null,
      city: lead.place?.city ?? null,
      niche: lead.place?.niche ?? null,
      category: lead.place?.category ?? null,
      livemode: lead.mode === 'live' ? 1 : 0,
      status: 'qualified',
      won_at: null,
      created_at: lead.at,
      ...qualifiedColumns(lead),
    })
    .onConflict((oc) => oc.columns(['tenant_id', 'livemode', 'email']).where('email', 'is not', null).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
}

async function insertScore(
  db: Db,
  tenantId: string,
  { id, leadId, analysis, at }: { id: string; leadId: string; analysis: AnalysisResult; at: string },
): Promise<void> {
  await db
    .insertInto('lead_scores')
    .values({
      id,
      tenant_id: tenantId,
      lead_id: leadId,
      score: analysis.score,
      tier: analysis.tier,
      breakdown: toJson(analysis.scoring_breakdown),
      reasoning: analysis.reasoning,
      provider: analysis.usage.provider,
      model: analysis.usage.model,
      cost_usd: analysis.usage.cost_usd,
      created_at: at,
    })
    .execute();
}
