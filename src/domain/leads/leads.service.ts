import { parsePhoneNumberFromString } from 'libphonenumber-js';
import type { AnalysisResult } from '../../engine/analysis.schema.js';
import type { Clock } from '../../lib/clock.js';
import { newId } from '../../lib/ids.js';
import type { Db } from '../../store/db.js';
import { fromJson, toJson } from '../../store/json.js';
import type { TenantAiService } from '../ai/index.js';
import { notFound } from '../errors.js';
import type { EventSink } from '../events.js';
import { METRICS, type UsageService } from '../usage/index.js';
import * as repo from './leads.repo.js';
import type { LeadOutcome, QualifyLeadInput } from './leads.schema.js';

export interface Qualification {
  leadId: string;
  created: boolean;
  analysis: AnalysisResult;
  previousScore: number | null;
  processingTimeMs: number;
  createdAt: string;
}

export interface Lead {
  id: string;
  email: string | null;
  name: string | null;
  company: string | null;
  phone: string | null;
  source: string;
  status: string;
  score: number | null;
  tier: string | null;
  intent: string | null;
  recommendedAction: string | null;
  analysis: AnalysisResult | null;
  processingTimeMs: number | null;
  qualifiedAt: string | null;
  wonAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface ScoreHistoryEntry {
  score: number;
  tier: string;
  provider: string;
  model: string;
  createdAt: string;
}

/** Who a lead is and where it came from; e-mail and phone find an existing lead. */
export interface LeadIdentity {
  email?: string | undefined;
  phone?: string | undefined;
  name?: string | undefined;
  company?: string | undefined;
  message?: string | undefined;
  source: string;
  metadata?: Record<string, unknown>;
}

/** A lead written but not yet announced: its events and usage wait for the writer's commit. */
export interface RecordedLead extends Omit<Qualification, 'analysis' | 'processingTimeMs'> {
  announce: () => Promise<void>;
}

export interface LeadsService {
  /** Scores a lead with the tenant's engine; the same e-mail again updates its lead and adds to its score history. */
  qualify(tenantId: string, input: QualifyLeadInput): Promise<Qualification>;
  /** Stores an analysis made elsewhere (a call transcript, a conversation) as the lead's latest qualification. */
  recordAnalyzed(
    tenantId: string,
    lead: LeadIdentity,
    analysis: AnalysisResult,
    processingTimeMs: number,
  ): Promise<Omit<Qualification, 'analysis' | 'processingTimeMs'>>;
  /** `recordAnalyzed`'s writes in the caller's transaction; `announce` fires its events once that committed. */
  recordAnalyzedIn(
    trx: Db,
    tenantId: string,
    lead: LeadIdentity,
    analysis: AnalysisResult,
    processingTimeMs: number,
  ): Promise<RecordedLead>;
  get(tenantId: string, leadId: string): Promise<Lead>;
  scoreHistory(tenantId: string, leadId: string): Promise<ScoreHistoryEntry[]>;
  /** Records a sales outcome; conversion rate counts leads marked won. */
  setOutcome(tenantId: string, leadId: string, outcome: LeadOutcome): Promise<Lead>;
}

function normalisePhone(phone: string): string {
  return parsePhoneNumberFromString(phone, 'US')?.number ?? phone;
}

function toLead(r: repo.LeadRow): Lead {
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
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** Records what an analysis cost, per provider and model, in micro-dollars. */
export function recordAiUsage(usage: UsageService, tenantId: string, analysis: AnalysisResult): void {
  const micro = Math.round(analysis.usage.cost_usd * 1_000_000);
  usage.add(tenantId, METRICS.aiCostByProvider(analysis.usage.provider), micro);
  usage.add(tenantId, METRICS.aiCostByModel(analysis.usage.model), micro);
}

export function createLeadsService(deps: {
  db: Db;
  clock: Clock;
  ai: TenantAiService;
  events: EventSink;
  usage: UsageService;
}): LeadsService {
  /**
   * Creates the lead or updates the one with the same e-mail (else the same phone), adds to its
   * score history, and fires `lead.qualified` for a new lead or `lead.scored` for a known one.
   */
  const write = async (
    db: Db,
    tenantId: string,
    lead: LeadIdentity,
    analysis: AnalysisResult,
    processingTimeMs: number,
  ): Promise<RecordedLead> => {
    const now = deps.clock.now().toISOString();
    const scored = {
      ...(lead.name ? { name: lead.name } : {}),
      ...(lead.company ? { company: lead.company } : {}),
      ...(lead.phone ? { phone: lead.phone } : {}),
      message: lead.message ?? null,
      source: lead.source,
      metadata: toJson(lead.metadata ?? {}),
      score: analysis.score,
      tier: analysis.tier,
      intent: analysis.intent,
      recommended_action: analysis.recommended_action,
      analysis: toJson(analysis),
      enrichment: toJson(analysis.enrichment),
      processing_time_ms: processingTimeMs,
      qualified_at: now,
      updated_at: now,
    };
    const find = async () =>
      (lead.email ? await repo.findByEmail(db, tenantId, lead.email) : undefined) ??
      (lead.phone ? await repo.findByPhone(db, tenantId, lead.phone) : undefined);
    let existing = await find();
    let leadId = existing?.id ?? newId('lead');
    if (!existing) {
      const row = {
        id: leadId,
        email: lead.email ?? null,
        name: lead.name ?? null,
        company: lead.company ?? null,
        phone: lead.phone ?? null,
        status: 'qualified',
        won_at: null,
        created_at: now,
        ...scored,
      };
      if (!(await repo.insert(db, tenantId, row))) existing = await find();
    }
    if (existing) {
      leadId = existing.id;
      await repo.update(db, tenantId, leadId, {
        ...scored,
        ...(lead.email && !existing.email ? { email: lead.email } : {}),
      });
    }
    await repo.insertScore(db, tenantId, {
      id: newId('score'),
      lead_id: leadId,
      score: analysis.score,
      tier: analysis.tier,
      breakdown: toJson(analysis.scoring_breakdown),
      reasoning: analysis.reasoning,
      provider: analysis.usage.provider,
      model: analysis.usage.model,
      cost_usd: analysis.usage.cost_usd,
      created_at: now,
    });
    const data = {
      id: leadId,
      email: lead.email ?? existing?.email ?? null,
      company: lead.company ?? existing?.company ?? null,
      name: lead.name ?? existing?.name ?? null,
      score: analysis.score,
      tier: analysis.tier,
      recommended_action: analysis.recommended_action,
    };
    const announce = async () => {
      recordAiUsage(deps.usage, tenantId, analysis);
      deps.usage.add(tenantId, 'leads.qualified');
      if (existing)
        await deps.events.emit(tenantId, 'lead.scored', {
          ...data,
          previous_score: existing.score,
          previous_tier: existing.tier,
        });
      else await deps.events.emit(tenantId, 'lead.qualified', data);
      const e = analysis.enrichment;
      if (e.company_size || e.industry || e.location || e.linkedin_url) {
        await deps.events.emit(tenantId, 'lead.enriched', { id: leadId, email: data.email, enrichment: e });
      }
    };
    return {
      leadId,
      created: !existing,
      previousScore: existing?.score ?? null,
      createdAt: existing?.created_at ?? now,
      announce,
    };
  };

  const store = async (tenantId: string, lead: LeadIdentity, analysis: AnalysisResult, processingTimeMs: number) => {
    const { announce, ...stored } = await write(deps.db, tenantId, lead, analysis, processingTimeMs);
    await announce();
    return stored;
  };

  const normalised = (lead: LeadIdentity): LeadIdentity => ({
    ...lead,
    email: lead.email?.trim().toLowerCase(),
    phone: lead.phone ? normalisePhone(lead.phone) : undefined,
  });

  const load = async (tenantId: string, id: string) => {
    const row = await repo.findById(deps.db, tenantId, id);
    if (!row) throw notFound('lead', id);
    return row;
  };

  return {
    async qualify(tenantId, input) {
      const email = input.email.trim().toLowerCase();
      const phone = input.phone ? normalisePhone(input.phone) : undefined;
      const { engine, ctx } = await deps.ai.forTenant(tenantId);
      const started = performance.now();
      const analysis = await engine.analyze(
        {
          kind: 'lead',
          text: input.message ?? '',
          email,
          phone,
          name: input.name,
          company: input.company,
          source: input.source,
          fields: input.metadata ?? {},
        },
        ctx,
      );
      const processingTimeMs = Math.round(performance.now() - started);
      const stored = await store(
        tenantId,
        {
          email,
          phone,
          name: input.name,
          company: input.company,
          message: input.message,
          source: input.source ?? 'api',
          metadata: input.metadata ?? {},
        },
        analysis,
        processingTimeMs,
      );
      return { ...stored, analysis, processingTimeMs };
    },

    recordAnalyzed: (tenantId, lead, analysis, processingTimeMs) =>
      store(tenantId, normalised(lead), analysis, processingTimeMs),

    recordAnalyzedIn: (trx, tenantId, lead, analysis, processingTimeMs) =>
      write(trx, tenantId, normalised(lead), analysis, processingTimeMs),

    async get(tenantId, leadId) {
      return toLead(await load(tenantId, leadId));
    },

    async scoreHistory(tenantId, leadId) {
      await load(tenantId, leadId);
      const rows = await repo.listScores(deps.db, tenantId, leadId);
      return rows.map((r) => ({
        score: r.score,
        tier: r.tier,
        provider: r.provider,
        model: r.model,
        createdAt: r.created_at,
      }));
    },

    async setOutcome(tenantId, leadId, outcome) {
      await load(tenantId, leadId);
      const now = deps.clock.now().toISOString();
      await repo.update(deps.db, tenantId, leadId, {
        status: outcome === 'open' ? 'qualified' : outcome,
        won_at: outcome === 'won' ? now : null,
        updated_at: now,
      });
      return toLead(await load(tenantId, leadId));
    },
  };
}
