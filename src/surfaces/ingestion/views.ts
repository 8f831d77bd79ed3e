import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Actor } from '../../domain/actor.js';
import { forbidden } from '../../domain/errors.js';
import type { IssuedToken } from '../../domain/auth/index.js';
import type { HealthReport, ProbeResult } from '../../domain/health/index.js';
import type { RequestFacts } from '../../domain/analytics/index.js';
import {
  payloadOf,
  type CallRequestDetail,
  type CallRequestSummary,
  type CallStep,
  type CallUsage,
  type CrmSync,
} from '../../domain/calls/index.js';
import type { ExportRecord, TableLayout } from '../../domain/exports/index.js';
import { HIDDEN, type Tenant } from '../../domain/tenants/index.js';
import { actorOf, requireTenantAccess } from '../../http/auth.js';
import type { RecentStats } from '../../http/metrics.js';
import type { CsvCell } from '../../lib/csv.js';

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

/** The OAuth client-credentials answer of `POST /v1/auth/token`. */
export function tokenView(t: IssuedToken) {
  return { access_token: t.accessToken, token_type: 'Bearer', expires_in: t.expiresIn, scope: t.scopes.join(' ') };
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

/** A request as spec A shows its details; the JSON export writes the same record. */
export interface RequestDetail {
  request_id: string;
  tenant_id: string;
  source_type: string;
  external_id: string | null;
  status: string;
  created_at: string;
  updated_at: string;
  processed_at: string | null;
  processing_time_ms: number | null;
  call_data: Record<string, unknown>;
  ai_analysis: Record<string, unknown> | null;
  crm_integrations: {
    crm_type: string;
    crm_record_id: string | null;
    status: string;
    sync_time_ms: number | null;
    last_sync_at: string;
  }[];
  error_message: string | null;
  retry_scheduled: boolean;
  retry_at: string | null;
  processing_steps: {
    step: string;
    timestamp: string | null;
    duration_ms: number | null;
    status: string;
    reason?: string;
    error?: string;
  }[];
  original_payload: unknown;
  enriched_data: Record<string, unknown>;
}

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

// Analytics and exports: spec A's tenant analytics document and the columns of its request export.

/** Spec A's analytics periods, in days. */
export const ANALYTICS_PERIODS = { '7d': 7, '30d': 30, '90d': 90, '1y': 365 } as const;
export type AnalyticsPeriod = keyof typeof ANALYTICS_PERIODS;
export const ANALYTICS_METRICS = ['volume', 'quality', 'performance', 'costs'] as const;
export type AnalyticsMetric = (typeof ANALYTICS_METRICS)[number];

function summaryView(t: RequestFacts['totals']) {
  return {
    total_calls: t.requests,
    processed_calls: t.completed,
    failed_calls: t.failed,
    success_rate: t.completionRate,
    average_lead_score: t.averageLeadScore,
    high_value_leads: t.highValue,
    crm_sync_success_rate: t.crmSyncSuccessRate,
  };
}

const dayView = (d: RequestFacts['days'][number]) => ({
  date: d.day,
  calls: d.requests,
  success_rate: d.completionRate,
  average_score: d.averageLeadScore,
  processing_time_avg_ms: d.averageProcessingMs,
});

/** Spec A's tenant analytics: `summary` always, the other sections as `metrics` asks. */
export function tenantAnalyticsView(period: AnalyticsPeriod, facts: RequestFacts, metrics: readonly AnalyticsMetric[]) {
  const want = new Set(metrics);
  const { timings, costs } = facts;
  return {
    period,
    tenant_id: facts.tenantId,
    summary: summaryView(facts.totals),
    ...(want.has('volume') ? { daily_breakdown: facts.days.map(dayView) } : {}),
    ...(want.has('quality')
      ? { quality_metrics: { lead_score_distribution: facts.scoreBands, project_type_breakdown: facts.projectTypes } }
      : {}),
    ...(want.has('performance')
      ? {
          performance_metrics: {
            average_processing_time_ms: timings.averageProcessingMs,
            p50_processing_time_ms: timings.p50ProcessingMs,
            p95_processing_time_ms: timings.p95ProcessingMs,
            webhook_response_time_ms: timings.averageAckMs,
          },
        }
      : {}),
    ...(want.has('costs') && costs
      ? { cost_analysis: { total_cost: costs.total, cost_per_call: costs.perRequest, cost_breakdown: costs.byStep } }
      : {}),
  };
}

/** The columns of spec A's CSV and XLSX request exports. */
export const REQUEST_EXPORT_COLUMNS = [
  'request_id',
  'source_type',
  'external_id',
  'status',
  'created_at',
  'processed_at',
  'processing_time_ms',
  'caller_name',
  'caller_phone',
  'caller_email',
  'intent',
  'lead_score',
  'project_type',
  'transcript',
  'recording_url',
  'crm_status',
] as const;
type RequestExportColumn = (typeof REQUEST_EXPORT_COLUMNS)[number];

function at(value: unknown, ...path: string[]): unknown {
  let v = value;
  for (const key of path) {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

/** The first of the candidates that is a string or a number: sources name the same fact differently. */
function first(...candidates: unknown[]): CsvCell {
  for (const c of candidates) if (typeof c === 'string' || typeof c === 'number') return c;
  return null;
}

/** One row of the flat formats, from an already redacted record. */
function requestRow(r: RequestDetail): Record<RequestExportColumn, CsvCell> {
  const p = r.original_payload;
  const e = r.enriched_data;
  const a = r.ai_analysis;
  return {
    request_id: r.request_id,
    source_type: r.source_type,
    external_id: r.external_id,
    status: r.status,
    created_at: r.created_at,
    processed_at: r.processed_at,
    processing_time_ms: r.processing_time_ms,
    caller_name: first(
      at(e, 'callrail_details', 'caller_name'),
      at(r.call_data, 'caller_name'),
      at(p, 'caller_name'),
      at(p, 'customer_name'),
    ),
    caller_phone: first(
      at(r.call_data, 'caller_phone'),
      at(p, 'caller_id'),
      at(p, 'customer_phone'),
      at(p, 'customer_phone_number'),
    ),
    caller_email: first(at(r.call_data, 'caller_email'), at(p, 'customer_email')),
    intent: first(at(a, 'intent'), at(e, 'ai_analysis', 'intent')),
    lead_score: first(at(a, 'lead_score'), at(e, 'ai_analysis', 'lead_score')),
    project_type: first(
      at(a, 'project_details', 'type'),
      at(e, 'ai_analysis', 'extracted_entities', 'project_type'),
      at(p, 'project_type'),
    ),
    transcript: first(at(a, 'transcript'), at(e, 'audio_analysis', 'transcript')),
    recording_url: first(at(r.call_data, 'recording_url'), at(p, 'recording_url')),
    crm_status:
      r.crm_integrations.length > 0 ? r.crm_integrations.map((c) => `${c.crm_type}:${c.status}`).join(', ') : null,
  };
}

/** How spec A's CSV and XLSX exports lay out a request: one row per request, these columns. */
/** Where spec A serves an export's file (`GET /v1/exports/{export_id}/download`). */
export function requestExportDownloadPath(exportId: string): string {
  return `/v1/exports/${encodeURIComponent(exportId)}/download`;
}

export const requestExportLayout: TableLayout<RequestDetail> = {
  sheet: 'requests',
  columns: REQUEST_EXPORT_COLUMNS,
  row(record) {
    const row = requestRow(record);
    return REQUEST_EXPORT_COLUMNS.map((c) => row[c]);
  },
};

/** The groups of spec A's `/v1/metrics`. */
export const METRIC_GROUPS = ['requests', 'performance', 'errors', 'resources'] as const;
export type MetricGroup = (typeof METRIC_GROUPS)[number];

/** Spec A's system metrics over a timeframe: the groups asked for, from what this process saw. */
export function systemMetricsView<T extends string>(
  timeframe: T,
  now: Date,
  r: RecentStats,
  groups: readonly MetricGroup[],
) {
  const want = new Set(groups);
  return {
    timeframe,
    timestamp: now.toISOString(),
    metrics: {
      ...(want.has('requests')
        ? {
            requests: {
              total: r.requests,
              successful: r.successful,
              failed: r.errors,
              success_rate: r.requests > 0 ? Math.round((r.successful / r.requests) * 10_000) / 10_000 : null,
            },
          }
        : {}),
      ...(want.has('performance')
        ? {
            performance: {
              avg_response_time_ms: r.latency.avg_ms,
              p50_response_time_ms: r.latency.p50_ms,
              p95_response_time_ms: r.latency.p95_ms,
              p99_response_time_ms: r.latency.p99_ms,
              p50_processing_time_ms: r.processing.p50_ms,
              p95_processing_time_ms: r.processing.p95_ms,
              p99_processing_time_ms: r.processing.p99_ms,
            },
          }
        : {}),
      ...(want.has('errors') ? { errors: { total: r.errors, by_type: r.errors_by_type } } : {}),
      ...(want.has('resources')
        ? { resources: { cpu_usage_percent: r.cpu_percent, memory_usage_percent: r.memory_percent } }
        : {}),
    },
  };
}

// ── Health (spec A) ──────────────────────────────────────────────────────────────────────────────
const count = (v: unknown): number => (typeof v === 'number' ? v : 0);

function serviceView(p: ProbeResult) {
  return {
    status: p.status,
    response_time_ms: p.responseTimeMs,
    ...(p.error ? { error: p.error } : {}),
    ...(p.reason ? { reason: p.reason } : {}),
  };
}

/** `/v1/health`: each platform dependency, and the last hour's request figures. */
export function systemHealthView(r: HealthReport, recent: RecentStats, dialect: string) {
  const probe = (name: string) => r.probes.find((p) => p.name === name);
  const database = probe('database');
  const storage = probe('storage');
  const redis = probe('redis');
  return {
    status: r.status,
    timestamp: r.timestamp,
    version: r.version,
    environment: r.environment,
    services: {
      database: database
        ? {
            ...serviceView(database),
            dialect: String(database.details.dialect),
            connections_active: count(database.details.active),
            connections_idle: count(database.details.idle),
          }
        : {
            status: 'unhealthy' as const,
            response_time_ms: null,
            dialect,
            connections_active: 0,
            connections_idle: 0,
          },
      storage: storage ? serviceView(storage) : { status: 'unhealthy' as const, response_time_ms: null },
      ...(redis ? { redis: serviceView(redis) } : {}),
    },
    metrics: {
      // Over at least a minute: a process seconds old would otherwise extrapolate a handful of requests.
      requests_per_minute: Math.round((recent.requests / (Math.max(60, recent.covered_seconds) / 60)) * 100) / 100,
      error_rate: recent.requests > 0 ? Math.round((recent.errors / recent.requests) * 10_000) / 10_000 : 0,
      average_processing_time_ms: recent.processing.avg_ms,
    },
  };
}

function checkView(name: string, p: ProbeResult, critical: boolean, details: Record<string, unknown>) {
  return {
    name,
    status: p.status === 'healthy' ? ('pass' as const) : critical ? ('fail' as const) : ('warning' as const),
    response_time_ms: p.responseTimeMs,
    ...(p.error ? { error: p.error } : {}),
    ...(p.reason ? { reason: p.reason } : {}),
    details,
  };
}

/** `/v1/health/detailed`'s checks of the platform's probes (the job queue's is added by the route). */
export function probeChecksView(r: HealthReport): ReturnType<typeof checkView>[] {
  const checks: ReturnType<typeof checkView>[] = [];
  for (const p of r.probes) {
    if (p.name === 'database') {
      checks.push(
        checkView('database_connectivity', p, true, {
          dialect: p.details.dialect,
          read_query: 'SELECT 1',
          connections_active: count(p.details.active),
          connections_idle: count(p.details.idle),
          connections_total: count(p.details.total),
        }),
      );
    } else if (p.name === 'storage') {
      checks.push(
        checkView('storage_writable', p, true, {
          backend: 'filesystem',
          write_test: p.status === 'healthy' ? 'passed' : 'failed',
        }),
      );
    } else if (p.name === 'redis') {
      checks.push(checkView('redis_connectivity', p, true, { command: 'PING', ...p.details }));
    }
  }
  return checks;
}
