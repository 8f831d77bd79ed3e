import { createCrmProvider } from '../../providers/crm/crm-factory.js';
import { CrmError, type CrmKind, type CrmLeadInput, type CrmSyncResult } from '../../providers/crm/crm.js';
import type { Fetch } from '../../providers/http/guarded-fetch.js';
import type { Clock } from '../../lib/clock.js';
import { newId } from '../../lib/ids.js';
import { AppError } from '../errors.js';
import type { EventSink } from '../events.js';
import type { Lead } from '../leads/index.js';
import { METRICS, type UsageService } from '../usage/index.js';
import type { CrmConfig } from './crm.config.js';
import type { CrmSyncsRepo } from './crm.repo.js';

export type { CrmKind };

export interface CrmSyncRecord {
  id: string;
  crm: CrmKind;
  status: 'success' | 'failed';
  recordId: string | null;
  result: CrmSyncResult | null;
  syncTimeMs: number;
  error: string | null;
  syncedAt: string;
}

/** Announced once a lead reached the CRM. */
export interface LeadRouted {
  type: 'lead.routed';
  leadId: string;
  email: string | null;
  crm: CrmKind;
  crmRecordId: string | null;
  ownerId: string | null;
  pipelineId: string | null;
}

export interface SyncOptions {
  crm: CrmKind;
  pipelineId?: string;
  ownerEmail?: string;
  requestId?: string;
}

export interface CrmService {
  /**
   * Pushes a lead to the tenant's CRM and records the attempt. A vendor failure is recorded
   * and thrown as UPSTREAM_CRM carrying the vendor's message; it never looks like success.
   */
  syncLead(tenantId: string, lead: Lead, opts: SyncOptions): Promise<CrmSyncRecord>;
}

export interface CrmPorts {
  repo: CrmSyncsRepo;
  clock: Clock;
  /** The tenant's configuration with secrets opened: its `crm_config` holds the CRM credentials. */
  tenants: { getConfigWithSecrets(tenantId: string): Promise<{ crm_config?: CrmConfig }> };
  events: EventSink<LeadRouted>;
  usage: Pick<UsageService, 'add'>;
  /** The SSRF-guarded client every vendor call goes through. */
  fetch: Fetch;
}

const TIMEOUT_MS = 15_000;

export function createCrmService(deps: CrmPorts): CrmService {
  return {
    async syncLead(tenantId, lead, opts) {
      const config = await deps.tenants.getConfigWithSecrets(tenantId);
      const provider = createCrmProvider(opts.crm, credentialsFor(config.crm_config ?? {}, opts.crm), {
        timeoutMs: TIMEOUT_MS,
        fetch: deps.fetch,
      });
      const started = performance.now();
      let result: CrmSyncResult | null = null;
      let error: Error | null = null;
      try {
        result = await provider.upsertLead(leadInput(lead), {
          pipelineId: opts.pipelineId,
          ownerEmail: opts.ownerEmail,
          idempotencyKey: lead.id,
        });
      } catch (err) {
        error = err instanceof Error ? err : new Error(String(err));
      }
      const record = await recordAttempt(deps, tenantId, lead, opts, {
        result,
        error,
        syncTimeMs: Math.round(performance.now() - started),
      });
      if (error) throw upstreamError(opts.crm, error);
      // A test lead's routing is recorded but never announced to the tenant's webhooks.
      if (lead.mode === 'live')
        await deps.events.emit(tenantId, {
          type: 'lead.routed',
          leadId: lead.id,
          email: lead.email,
          crm: opts.crm,
          crmRecordId: record.recordId,
          ownerId: result?.ownerId ?? null,
          pipelineId: opts.pipelineId ?? null,
        });
      return record;
    },
  };
}

/** Stores the attempt, successful or not, and counts it. */
async function recordAttempt(
  deps: CrmPorts,
  tenantId: string,
  lead: Lead,
  opts: SyncOptions,
  outcome: { result: CrmSyncResult | null; error: Error | null; syncTimeMs: number },
): Promise<CrmSyncRecord> {
  const { result, error, syncTimeMs } = outcome;
  const record: CrmSyncRecord = {
    id: newId('crm'),
    crm: opts.crm,
    status: error ? 'failed' : 'success',
    recordId: result ? (result.dealId ?? result.contactId ?? result.leadId ?? null) : null,
    result,
    syncTimeMs,
    error: error?.message ?? null,
    syncedAt: deps.clock.now().toISOString(),
  };
  await deps.repo.insert(tenantId, {
    id: record.id,
    leadId: lead.id,
    requestId: opts.requestId ?? null,
    crm: opts.crm,
    recordId: record.recordId,
    status: record.status,
    syncTimeMs,
    error: record.error,
    createdAt: record.syncedAt,
  });
  deps.usage.add(tenantId, METRICS.crmSyncs);
  return record;
}

function upstreamError(crm: CrmKind, error: Error): AppError {
  return new AppError('UPSTREAM_CRM', `${crm} rejected the sync: ${error.message}`, {
    details: {
      crm,
      vendor_message: error.message,
      ...(error instanceof CrmError
        ? { vendor_status: error.status, kind: error.kind, retryable: error.retryable }
        : {}),
    },
    cause: error,
  });
}

/** The tenant's credentials for one CRM, from `crm_config` (secrets opened). */
function credentialsFor(
  c: Record<string, unknown>,
  crm: CrmKind,
): { accessToken: string; baseUrl?: string; instanceUrl?: string; apiVersion?: string } {
  const str = (k: string) => (typeof c[k] === 'string' && c[k] !== '' ? c[k] : undefined);
  if (crm === 'hubspot') {
    const accessToken = str('hubspot_access_token') ?? str('hubspot_api_key');
    if (!accessToken) throw notConfigured(crm, 'crm_config.hubspot_access_token');
    return { accessToken, ...(str('hubspot_base_url') ? { baseUrl: str('hubspot_base_url') } : {}) };
  }
  const accessToken = str('salesforce_access_token');
  const instance =
    str('salesforce_instance_url') ??
    (str('salesforce_instance') ? `https://${str('salesforce_instance')}.salesforce.com` : undefined);
  if (!accessToken || !instance)
    throw notConfigured(crm, accessToken ? 'crm_config.salesforce_instance_url' : 'crm_config.salesforce_access_token');
  return {
    accessToken,
    instanceUrl: instance,
    ...(str('salesforce_api_version') ? { apiVersion: str('salesforce_api_version') } : {}),
  };
}

function notConfigured(crm: CrmKind, field: string): AppError {
  return new AppError(
    'VALIDATION',
    `${crm} is not configured for this tenant: set ${field} in the tenant configuration`,
    {
      fields: [{ field: 'crm', issue: `is not configured (missing ${field})`, type: 'not_configured' }],
    },
  );
}

function leadInput(lead: Lead): CrmLeadInput {
  const [first, ...rest] = (lead.name ?? '').trim().split(/\s+/).filter(Boolean);
  const a = lead.analysis;
  const budget = a?.entities.budget_range ?? null;
  return {
    email: lead.email ?? undefined,
    firstName: first,
    lastName: rest.join(' ') || undefined,
    phone: lead.phone ?? undefined,
    company: lead.company ?? undefined,
    score: lead.score ?? undefined,
    tier: (lead.tier as CrmLeadInput['tier']) ?? undefined,
    intent: lead.intent ?? undefined,
    source: lead.source,
    summary: a ? `${a.summary} ${a.reasoning}`.trim() : undefined,
    budget: budget ? budget.max : undefined,
    timeline: a?.entities.timeline ?? undefined,
    projectType: a?.entities.project_type ?? undefined,
    externalId: lead.id,
  };
}
