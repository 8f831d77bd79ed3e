import type { Lead, LeadStatus } from '../../domain/leads/index.js';
import type { AutomationState, PlatformCounts } from '../../domain/platform/index.js';
import type { CreatedTenant, Tenant } from '../../domain/tenants/index.js';
import { tenantProfileSchema, type LeadgenStatus } from './schemas.js';

/**
 * Spec B's statuses over the domain's: an open lead is `new` until someone works it; spec B's
 * `qualified` (the person is interested) is the domain's `interested`, and `converted` is `won`.
 */
const TO_LEADGEN: Record<LeadStatus, LeadgenStatus> = {
  qualified: 'new',
  contacted: 'contacted',
  interested: 'qualified',
  won: 'converted',
  lost: 'lost',
};
const FROM_LEADGEN: Record<LeadgenStatus, LeadStatus> = {
  new: 'qualified',
  contacted: 'contacted',
  qualified: 'interested',
  converted: 'won',
  lost: 'lost',
};

export const domainStatusOf = (status: LeadgenStatus): LeadStatus => FROM_LEADGEN[status];

const leadgenStatusOf = (status: string): LeadgenStatus =>
  status in TO_LEADGEN ? TO_LEADGEN[status as LeadStatus] : 'new';

/** One lead as spec B lists it; `is_hot_lead` is the rubric's HOT tier (docs/lead-rubric.md). */
export function leadView(lead: Lead) {
  return {
    id: lead.id,
    company_name: lead.company,
    contact_name: lead.name,
    phone: lead.phone,
    email: lead.email,
    city: lead.city,
    niche: lead.niche,
    category: lead.category,
    status: leadgenStatusOf(lead.status),
    lead_score: lead.score ?? 0,
    is_hot_lead: lead.tier === 'HOT',
    source: lead.source,
    created_at: lead.createdAt,
    updated_at: lead.updatedAt,
  };
}

export function createdLeadView(lead: Lead) {
  return { id: lead.id, status: leadgenStatusOf(lead.status), lead_score: lead.score ?? 0, created_at: lead.createdAt };
}

/** The tenant's spec B profile, read back from its configuration's `leadgen` section. */
function profileOf(tenant: Tenant) {
  const parsed = tenantProfileSchema.safeParse((tenant.config as Record<string, unknown>)['leadgen'] ?? {});
  return parsed.success ? parsed.data : {};
}

export function tenantView(tenant: Tenant) {
  const p = profileOf(tenant);
  return {
    id: tenant.id,
    company_name: tenant.name,
    contact_name: p.contact_name ?? null,
    contact_phone: p.contact_phone ?? null,
    contact_email: p.contact_email ?? null,
    industry: p.industry ?? null,
    target_niches: p.target_niches ?? [],
    target_cities: p.target_cities ?? [],
    tier: tenant.plan,
    status: tenant.status,
    created_at: tenant.createdAt,
  };
}

export function createdTenantView(created: CreatedTenant) {
  return { ...tenantView(created.tenant), api_key: created.credentials.api_key };
}

export function platformStatsView(s: PlatformCounts & { running: boolean }) {
  return {
    total_tenants: s.tenants.total,
    active_tenants: s.tenants.active,
    trial_tenants: s.tenants.trial,
    total_calls_made: s.callsMade,
    total_leads_generated: s.leadsGenerated,
    is_running: s.running,
  };
}

export function automationView(s: AutomationState) {
  return { is_running: s.running, changed_at: s.changedAt };
}
