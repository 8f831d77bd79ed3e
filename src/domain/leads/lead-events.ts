import type { AnalysisResult } from '../../engine/analysis.schema.js';
import { METRICS } from '../usage/usage-report.js';
import type { UsageService } from '../usage/usage.service.js';
import type { Lead, LeadIdentity } from './leads.records.js';
import type { LeadsPorts } from './leads.ports.js';

/** Records what an analysis cost, per provider and model, in micro-dollars. */
function recordAiUsage(usage: UsageService, tenantId: string, analysis: AnalysisResult): void {
  const micro = Math.round(analysis.usage.cost_usd * 1_000_000);
  usage.add(tenantId, METRICS.aiCostByProvider(analysis.usage.provider), micro);
  usage.add(tenantId, METRICS.aiCostByModel(analysis.usage.model), micro);
}

/**
 * What a recorded lead announces once its writes are committed: usage, then `lead.qualified`
 * for a new lead or `lead.scored` for a known one, and `lead.enriched` when enrichment found
 * something. The event data is the tenant's webhook payload.
 */
export function leadAnnouncement(
  ports: Pick<LeadsPorts, 'events' | 'usage'>,
  tenantId: string,
  leadId: string,
  lead: LeadIdentity,
  existing: Lead | undefined,
  analysis: AnalysisResult,
): () => Promise<void> {
  const data = {
    id: leadId,
    email: lead.email ?? existing?.email ?? null,
    company: lead.company ?? existing?.company ?? null,
    name: lead.name ?? existing?.name ?? null,
    score: analysis.score,
    tier: analysis.tier,
    recommended_action: analysis.recommended_action,
  };
  return async () => {
    recordAiUsage(ports.usage, tenantId, analysis);
    ports.usage.add(tenantId, 'leads.qualified');
    if (existing)
      await ports.events.emit(tenantId, 'lead.scored', {
        ...data,
        previous_score: existing.score,
        previous_tier: existing.tier,
      });
    else await ports.events.emit(tenantId, 'lead.qualified', data);
    const e = analysis.enrichment;
    if (e.company_size || e.industry || e.location || e.linkedin_url) {
      await ports.events.emit(tenantId, 'lead.enriched', { id: leadId, email: data.email, enrichment: e });
    }
  };
}
