import { tenantEngineContextSchema, type AnalysisResult } from '../../engine/analysis.schema.js';
import type { Actor, DataMode } from '../actor.js';
import { notFound } from '../errors.js';
import type { Lead, LeadIdentity, Qualification, RecordedLead, ScoreHistoryEntry } from './leads.records.js';
import type { LeadsRepo, LeadsTx } from './leads.repo.js';
import type { LeadOutcome, ListedLeadInput, QualifyLeadInput } from './leads.schema.js';
import type { LeadsPorts } from './leads.ports.js';
import { leadKeys, writeLead } from './record-lead.js';
import { announceStatusEdit } from './lead-events.js';
import type { Plan } from '../tenants/index.js';
import {
  createListedLead,
  editListedLead,
  listLeads,
  removeListedLead,
  type LeadDirectoryPorts,
  type LeadEdit,
} from './lead-directory.js';
import type { LeadFilter } from './lead-directory.repo.js';
import type { LeadTimelineRepo } from './lead-timeline.repo.js';
import { leadCrmState, leadTimeline, type LeadCrmState, type LeadTimelineEvent } from './lead-timeline.js';

export interface LeadsService {
  /** Scores a lead with the tenant's engine; the same e-mail again updates its lead and adds to its score history. */
  qualify(tenantId: string, mode: DataMode, input: QualifyLeadInput): Promise<Qualification>;
  /** Stores an analysis made elsewhere (a call transcript, a conversation) as the lead's latest qualification. */
  recordAnalyzed(
    tenantId: string,
    lead: LeadIdentity,
    analysis: AnalysisResult,
    processingTimeMs: number,
  ): Promise<Omit<Qualification, 'analysis' | 'processingTimeMs'>>;
  /** `recordAnalyzed`'s writes in the caller's transaction; `announce` fires its events once that committed. */
  recordAnalyzedIn(
    trx: LeadsTx,
    tenantId: string,
    lead: LeadIdentity,
    analysis: AnalysisResult,
    processingTimeMs: number,
  ): Promise<RecordedLead>;
  get(tenantId: string, leadId: string): Promise<Lead>;
  scoreHistory(tenantId: string, leadId: string): Promise<ScoreHistoryEntry[]>;
  /** Records a sales outcome; conversion rate counts leads marked won. */
  setOutcome(actor: Actor, tenantId: string, leadId: string, outcome: LeadOutcome): Promise<Lead>;
  /** A page of the tenant's leads from every channel, newest first, and how many the filter matches. */
  list(tenantId: string, filter: LeadFilter): Promise<{ leads: Lead[]; total: number }>;
  /** A lead entered directly (spec B): scored by the engine, one per phone and e-mail, within the plan's monthly quota. */
  create(tenantId: string, mode: DataMode, plan: Plan, input: ListedLeadInput): Promise<Lead>;
  /** Edits the lead's details or status; a status that changed is recorded as `actor`'s. */
  edit(actor: Actor, tenantId: string, leadId: string, edit: LeadEdit): Promise<Lead>;
  /** Deletes the lead and its score history; the contact (the person) stays. */
  remove(tenantId: string, leadId: string): Promise<void>;
  /** The lead's history from every channel's stored rows, oldest first, and where it stands with `crmProvider` (the tenant's configured CRM). */
  timeline(
    tenantId: string,
    leadId: string,
    crmProvider: string | undefined,
  ): Promise<{ lead: Lead; events: LeadTimelineEvent[]; crm: LeadCrmState }>;
}

async function loadLead(repo: LeadsRepo, tenantId: string, id: string): Promise<Lead> {
  const lead = await repo.findById(tenantId, id);
  if (!lead) throw notFound('lead', id);
  return lead;
}

/** Writes the lead and its contact in one transaction, then announces it. */
async function storeLead(
  ports: LeadsPorts,
  tenantId: string,
  lead: LeadIdentity,
  analysis: AnalysisResult,
  processingTimeMs: number,
): Promise<Omit<Qualification, 'analysis' | 'processingTimeMs'>> {
  const { announce, ...stored } = await ports.repo.transaction((tx) =>
    writeLead(ports, tx, tenantId, lead, analysis, processingTimeMs),
  );
  await announce();
  return stored;
}

async function qualifyLead(
  ports: LeadsPorts,
  tenantId: string,
  mode: DataMode,
  input: QualifyLeadInput,
): Promise<Qualification> {
  const { email, phone } = leadKeys(input.email, input.phone);
  const { engine, ctx } = await ports.ai.forTenant(tenantId);
  const started = performance.now();
  const scored = await engine.analyze(
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
  const analysis = await ports.conversion.blend(
    tenantId,
    { email, phone, source: input.source ?? 'api', metadata: input.metadata ?? {} },
    scored,
    tenantEngineContextSchema.shape.thresholds.parse(ctx.thresholds),
  );
  const processingTimeMs = Math.round(performance.now() - started);
  const lead: LeadIdentity = {
    email,
    phone,
    name: input.name,
    company: input.company,
    message: input.message,
    source: input.source ?? 'api',
    metadata: input.metadata ?? {},
    mode,
  };
  const stored = await storeLead(ports, tenantId, lead, analysis, processingTimeMs);
  return { ...stored, analysis, processingTimeMs };
}

export function createLeadsService(ports: LeadDirectoryPorts & { trails: LeadTimelineRepo }): LeadsService {
  const normalised = (lead: LeadIdentity): LeadIdentity => ({ ...lead, ...leadKeys(lead.email, lead.phone) });
  return {
    qualify: (tenantId, mode, input) => qualifyLead(ports, tenantId, mode, input),

    recordAnalyzed: (tenantId, lead, analysis, processingTimeMs) =>
      storeLead(ports, tenantId, normalised(lead), analysis, processingTimeMs),

    recordAnalyzedIn: (trx, tenantId, lead, analysis, processingTimeMs) =>
      writeLead(ports, trx, tenantId, normalised(lead), analysis, processingTimeMs),

    get: (tenantId, leadId) => loadLead(ports.repo, tenantId, leadId),

    async scoreHistory(tenantId, leadId) {
      await loadLead(ports.repo, tenantId, leadId);
      return ports.repo.listScores(tenantId, leadId);
    },

    async setOutcome(actor, tenantId, leadId, outcome) {
      const before = await loadLead(ports.repo, tenantId, leadId);
      const at = ports.clock.now().toISOString();
      await ports.repo.setStatus(tenantId, leadId, {
        status: outcome === 'open' ? 'qualified' : outcome,
        wonAt: outcome === 'won' ? at : null,
        at,
      });
      const after = await loadLead(ports.repo, tenantId, leadId);
      await announceStatusEdit(ports, actor, tenantId, before, after);
      return after;
    },

    list: (tenantId, filter) => listLeads(ports, tenantId, filter),
    create: (tenantId, mode, plan, input) => createListedLead(ports, tenantId, mode, plan, input),
    edit: (actor, tenantId, leadId, edit) => editListedLead(ports, actor, tenantId, leadId, edit),
    remove: (tenantId, leadId) => removeListedLead(ports, tenantId, leadId),

    async timeline(tenantId, leadId, crmProvider) {
      const lead = await loadLead(ports.repo, tenantId, leadId);
      const trail = await ports.trails.trail(tenantId, lead.id, lead.contactId);
      return { lead, events: leadTimeline(lead, trail), crm: leadCrmState(crmProvider, trail) };
    },
  };
}
