import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Actor } from '../../domain/actor.js';
import { forbidden } from '../../domain/errors.js';
import type { ExportRecord } from '../../domain/ingestion/exports.service.js';
import {
  payloadOf,
  type CallRequestDetail,
  type CallRequestSummary,
  type CallStep,
  type CallUsage,
  type CrmSync,
  type RequestDetail,
} from '../../domain/calls/index.js';
import { HIDDEN } from '../../domain/tenants/tenant-config.schema.js';
import type { Tenant } from '../../domain/tenants/tenants.service.js';
import { actorOf, requireTenantAccess } from '../../http/auth.js';

/** The envelope, the shared parameters and access rule, and the views of spec A's management routes. */

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** Whether a `YYYY-MM-DD` is a day of the calendar: month 13 or day 45 makes no Date at all (2025-02-30 rolls over). */
function calendarDay(v: string): boolean {
  const day = new Date(`${v}T00:00:00Z`);
  return !Number.isNaN(day.getTime()) && day.toISOString().startsWith(v);
}

/** `YYYY-MM-DD` as spec A shows, or a full ISO 8601 date-time; a bare date must exist on the calendar. */
export const dateParam = z
  .string()
  .refine(
    (v) => (DATE_ONLY.test(v) ? calendarDay(v) : z.iso.datetime({ offset: true }).safeParse(v).success),
    'must be a date YYYY-MM-DD or an ISO 8601 date-time',
  );

export const tenantParams = z.object({ tenant_id: z.string().min(1).max(64) });

/** Spec A's success envelope: the request id travels in the body as in its error envelope. */
export function ok<T>(request: FastifyRequest, data: T) {
  return { success: true as const, data, request_id: request.id };
}

export function paginationOf(total: number, limit: number, offset: number) {
  return { total, limit, offset, has_more: offset + limit < total };
}

/** Who may call spec A's management and tenant routes: the admin key, or the tenant's API key or JWT. */
export const MANAGEMENT = { allow: ['admin', 'tenant-key'] } as const;

/**
 * The tenant a management route acts on, for a credential that may act on it with `scope`
 * (a JWT minted with `scope: "read"` may look but not change); the actor for the audit log.
 */
export function tenantActor(request: FastifyRequest, tenantId: string, scope: 'read' | 'write'): Actor {
  const principal = requireTenantAccess(request, tenantId);
  if (!principal.scopes.includes(scope)) throw forbidden(`This credential lacks the '${scope}' scope`);
  return actorOf(request);
}

export function tenantInfoView(tenant: Tenant, usage: CallUsage, hasWebhookSecret: boolean) {
  return {
    tenant_id: tenant.id,
    name: tenant.name,
    status: tenant.status,
    created_at: tenant.createdAt,
    updated_at: tenant.updatedAt,
    // The webhook secret is a credential rather than configuration; spec A shows it here, masked.
    config: { ...tenant.config, ...(hasWebhookSecret ? { webhook_secret: HIDDEN } : {}) },
    usage_stats: usageStatsView(usage),
  };
}

/** Spec A's export answer, once the file exists. */
export function exportView(record: ExportRecord, downloadUrl: string) {
  return {
    export_id: record.id,
    download_url: downloadUrl,
    expires_at: record.expiresAt,
    record_count: record.recordCount ?? 0,
    file_size_bytes: record.fileSizeBytes ?? 0,
  };
}

/** An export at any stage, for the status route. */
export function exportStatusView(record: ExportRecord, links: { downloadUrl: string | null; statusUrl: string }) {
  return {
    export_id: record.id,
    status: record.status,
    format: record.format,
    created_at: record.createdAt,
    completed_at: record.completedAt,
    expires_at: record.expiresAt,
    record_count: record.recordCount,
    file_size_bytes: record.fileSizeBytes,
    download_url: links.downloadUrl,
    status_url: links.statusUrl,
    // The stored reason can name server paths; the client only needs to know to ask again.
    ...(record.status === 'failed' ? { error: 'The export could not be built; request a new one' } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// Requests (calls): spec A's request records. The JSON export writes the same detail record.
// ---------------------------------------------------------------------------------------------

/** Spec A's `usage_stats` of a tenant. */
export function usageStatsView(u: CallUsage) {
  return {
    total_requests: u.total,
    current_month_requests: u.thisMonth,
    success_rate: u.successRate,
    average_processing_time_ms: u.averageProcessingTimeMs,
    crm_sync_success_rate: u.crmSyncSuccessRate,
  };
}

/** `processing_steps[]`: a reason only on a skipped step, an error only on a failed one. */
function processingStepView(s: CallStep): RequestDetail['processing_steps'][number] {
  return {
    step: s.step,
    timestamp: s.startedAt,
    duration_ms: s.durationMs,
    status: s.status,
    ...(s.status === 'skipped' && s.reason !== null ? { reason: s.reason } : {}),
    ...(s.status === 'failed' && s.error !== null ? { error: s.error } : {}),
  };
}

/** `crm_integrations[]`: one entry per CRM; a request synced twice (a retry) shows the latest attempt. */
function crmIntegrationsView(syncs: readonly CrmSync[]): RequestDetail['crm_integrations'] {
  const latest = new Map<string, RequestDetail['crm_integrations'][number]>();
  for (const s of syncs) {
    latest.set(s.crmType, {
      crm_type: s.crmType,
      crm_record_id: s.crmRecordId,
      status: s.status,
      sync_time_ms: s.syncTimeMs,
      last_sync_at: s.createdAt,
    });
  }
  return [...latest.values()];
}

/** A request in spec A's list. */
export function requestSummaryView(r: CallRequestSummary) {
  return {
    request_id: r.id,
    tenant_id: r.tenantId,
    source_type: r.source,
    external_id: r.externalId,
    status: r.status,
    created_at: r.createdAt,
    updated_at: r.updatedAt,
    processed_at: r.processedAt,
    processing_time_ms: r.processingTimeMs,
    call_data: r.callData,
    ai_analysis: r.aiAnalysis,
    crm_integrations: crmIntegrationsView(r.crmSyncs),
  };
}

/** A request's details in spec A's shape, as the API answers them and the JSON export writes them. */
export function requestDetailView(r: CallRequestDetail): RequestDetail {
  return {
    ...requestSummaryView(r),
    error_message: r.errorMessage,
    retry_scheduled: r.retryScheduled,
    retry_at: r.retryAt,
    processing_steps: r.steps.map(processingStepView),
    original_payload: payloadOf(r),
    enriched_data: r.enrichedData,
  };
}

/** The exports' pages of request details. */
export async function* requestDetailPages(pages: AsyncIterable<CallRequestDetail[]>): AsyncGenerator<RequestDetail[]> {
  for await (const page of pages) yield page.map(requestDetailView);
}
