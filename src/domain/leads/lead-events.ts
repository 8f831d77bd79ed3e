import type { AnalysisResult } from '../../engine/analysis.schema.js';
import type { Actor } from '../actor.js';
import { METRICS } from '../usage/index.js';
import type { Tx } from '../transaction.js';
import type { UsageService } from '../usage/index.js';
import type { Lead, LeadEvent, LeadIdentity } from './leads.records.js';
import type { LeadsPorts } from './leads.ports.js';

/** Records what an analysis cost, per provider and model, in micro-dollars. */
function recordAiUsage(usage: UsageService, tenantId: string, analysis: AnalysisResult): void {
  const micro = Math.round(analysis.usage.cost_usd * 1_000_000);
  usage.add(tenantId, METRICS.aiCostByProvider(analysis.usage.provider), micro);
  usage.add(tenantId, METRICS.aiCostByModel(analysis.usage.model), micro);
}

/** The audit action of a lead's status edit; the lead's timeline reads these back. */
export const LEAD_STATUS_CHANGED = 'lead.status_changed';

/** Records a status edit that changed something, then tells the open screens of the edited lead. */
export async function announceStatusEdit(
  ports: Pick<LeadsPorts, 'audit' | 'live' | 'clock'>,
  actor: Actor,
  tenantId: string,
  before: Pick<Lead, 'status'>,
  after: Lead,
): Promise<void> {
  if (before.status !== after.status)
    await ports.audit.record(actor, {
      tenantId,
      action: LEAD_STATUS_CHANGED,
      targetType: 'lead',
      targetId: after.id,
      before: { status: before.status },
      after: { status: after.status },
    });
  await publishLeadLive(ports, tenantId, 'lead.updated', after);
}

/** What the tenant's open screens hear of a lead. */
export interface LiveLead {
  id: string;
  tier: string | null;
  score: number | null;
  source: string;
  mode: string;
}

/**
 * Tells the tenant's open screens of a stored lead (`lead.created`) or a change to one
 * (`lead.updated`); a live update is a nicety, so a bus failure is not the caller's.
 */
export async function publishLeadLive(
  ports: Pick<LeadsPorts, 'live' | 'clock'>,
  tenantId: string,
  type: 'lead.created' | 'lead.updated',
  lead: LiveLead,
): Promise<void> {
  await ports.live
    .publish({
      type,
      tenantId,
      conversationId: null,
      at: ports.clock.now().toISOString(),
      data: { id: lead.id, tier: lead.tier, score: lead.score, source: lead.source, mode: lead.mode },
    })
    .catch(() => undefined);
}

/**
 * A recorded lead's events, queued in its transaction: `lead.qualified` for a new lead or
 * `lead.scored` for a known one, and `lead.enriched` when enrichment found something. The returned
 * announcement counts usage, dispatches them and publishes `lead.created` or `lead.updated` on the
 * live bus once the caller committed.
 */
export async function leadAnnouncement(
  ports: Pick<LeadsPorts, 'events' | 'usage' | 'ownerAlerts' | 'live' | 'clock'>,
  tx: Tx,
  tenantId: string,
  leadId: string,
  lead: LeadIdentity,
  existing: Lead | undefined,
  analysis: AnalysisResult,
): Promise<() => Promise<void>> {
  const announced = {
    id: leadId,
    email: lead.email ?? existing?.email ?? null,
    company: lead.company ?? existing?.company ?? null,
    name: lead.name ?? existing?.name ?? null,
    score: analysis.score,
    tier: analysis.tier,
    recommendedAction: analysis.recommended_action,
  };
  const events: LeadEvent[] = [
    existing
      ? { type: 'lead.scored', lead: announced, previousScore: existing.score, previousTier: existing.tier }
      : { type: 'lead.qualified', lead: announced },
  ];
  const e = analysis.enrichment;
  if (e.company_size || e.industry || e.location || e.linkedin_url)
    events.push({ type: 'lead.enriched', leadId, email: announced.email, enrichment: e });
  // Queued with the lead in its transaction (an outbox): a rollback takes the events with it.
  // A test lead is never announced to the tenant's webhooks.
  const dispatches: (() => Promise<void>)[] = [];
  if (lead.mode === 'live') for (const event of events) dispatches.push(await ports.events.emitIn(tx, tenantId, event));
  // The owner hears of a lead when it becomes HOT, not again each time a HOT lead is scored.
  if (lead.mode === 'live' && analysis.tier === 'HOT' && existing?.tier !== 'HOT' && ports.ownerAlerts)
    dispatches.push(
      await ports.ownerAlerts.raiseIn(tx, tenantId, {
        kind: 'hot_lead',
        leadId,
        score: analysis.score,
        name: announced.name,
        summary: analysis.summary || null,
      }),
    );
  return async () => {
    recordAiUsage(ports.usage, tenantId, analysis);
    if (lead.mode === 'live') ports.usage.add(tenantId, 'leads.qualified');
    if (lead.mode === 'live' && !existing) ports.usage.add(tenantId, METRICS.leadsCreated);
    for (const dispatch of dispatches) await dispatch();
    await publishLeadLive(ports, tenantId, existing ? 'lead.updated' : 'lead.created', {
      id: leadId,
      tier: analysis.tier,
      score: analysis.score,
      source: lead.source,
      mode: lead.mode,
    });
  };
}
