import type { Clock } from '../../lib/clock.js';
import type { Db } from '../../store/db.js';
import { fromJson } from '../../store/json.js';
import type { Actor } from '../actor.js';
import type { AuditService } from '../audit/index.js';
import { invalid, notFound } from '../errors.js';
import type { RequestStatus, SourceType } from './ingestion.schema.js';
import * as repo from './requests.query.js';
import { stepsOf } from './step-plan.js';

/**
 * Spec A's management view of pipeline requests. Records carry the document's field names: the
 * table already stores spec A's `call_data`, `ai_analysis` and `enriched_data`, and the API and
 * the JSON export both show them as they are.
 */

export interface CrmIntegration {
  crm_type: string;
  crm_record_id: string | null;
  status: string;
  sync_time_ms: number | null;
  last_sync_at: string;
}

export interface ProcessingStep {
  step: string;
  timestamp: string | null;
  duration_ms: number | null;
  status: string;
  reason?: string;
  error?: string;
}

export interface RequestSummary {
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
  crm_integrations: CrmIntegration[];
}

export interface RequestDetail extends RequestSummary {
  error_message: string | null;
  retry_scheduled: boolean;
  retry_at: string | null;
  processing_steps: ProcessingStep[];
  original_payload: unknown;
  enriched_data: Record<string, unknown>;
}

export interface ListRequestsInput {
  limit: number;
  offset: number;
  status?: RequestStatus;
  source?: SourceType;
  start_date?: string;
  end_date?: string;
  sort: repo.RequestSort;
  order: 'asc' | 'desc';
}

export interface UpdateRequestInput {
  status?: RequestStatus;
  error_message?: string | null;
  retry_scheduled?: boolean;
  retry_at?: string;
}

export interface UsageStats {
  total_requests: number;
  current_month_requests: number;
  success_rate: number | null;
  average_processing_time_ms: number | null;
  crm_sync_success_rate: number | null;
}

/** The pipeline's side of a manual retry. */
export interface RetryScheduler {
  /** Re-queues the first step of the request that is not completed, delayed until `at`. */
  scheduleRetry(tenantId: string, requestId: string, at: Date): Promise<void>;
}

export interface IngestionRequestsService {
  list(tenantId: string, input: ListRequestsInput): Promise<{ requests: RequestSummary[]; total: number }>;
  get(tenantId: string, requestId: string): Promise<RequestDetail>;
  /** Spec A's manual status change; a scheduled retry is handed to the pipeline. */
  update(actor: Actor, tenantId: string, requestId: string, input: UpdateRequestInput): Promise<RequestDetail>;
  /** Full records created in a range, oldest first, a page at a time (exports). */
  pages(tenantId: string, range: repo.RequestFilter, pageSize: number): AsyncGenerator<RequestDetail[]>;
  usageStats(tenantId: string): Promise<UsageStats>;
}

/** A share of a whole to four places, or null when there is nothing to measure. */
export function ratio(part: number, whole: number): number | null {
  return whole > 0 ? Math.round((part / whole) * 10_000) / 10_000 : null;
}

const DAY_MS = 86_400_000;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * `start_date`/`end_date` as bounds on created_at, both inclusive: a bare date is a whole UTC day
 * (so end_date=2025-09-13 covers that day), a date-time is that instant.
 */
export function createdRange(
  startDate: string | undefined,
  endDate: string | undefined,
): Pick<repo.RequestFilter, 'from' | 'before'> {
  const from =
    startDate === undefined ? undefined : new Date(DATE_ONLY.test(startDate) ? `${startDate}T00:00:00Z` : startDate);
  const end = endDate === undefined ? undefined : new Date(DATE_ONLY.test(endDate) ? `${endDate}T00:00:00Z` : endDate);
  const before =
    end === undefined
      ? undefined
      : new Date(end.getTime() + (endDate !== undefined && DATE_ONLY.test(endDate) ? DAY_MS : 1));
  if (from && before && before.getTime() <= from.getTime()) {
    throw invalid([
      { field: 'end_date', issue: 'must not be before start_date', type: 'invalid_range', location: 'query' },
    ]);
  }
  return { ...(from ? { from: from.toISOString() } : {}), ...(before ? { before: before.toISOString() } : {}) };
}

function stepOf(s: repo.StepRow): ProcessingStep {
  return {
    step: s.step,
    timestamp: s.started_at,
    duration_ms: s.duration_ms,
    status: s.status,
    ...(s.status === 'skipped' && s.reason !== null ? { reason: s.reason } : {}),
    ...(s.status === 'failed' && s.error !== null ? { error: s.error } : {}),
  };
}

/** One entry per CRM: a request synced twice (a retry) shows the latest attempt. */
function crmIntegrationsOf(syncs: readonly repo.CrmSyncRow[]): CrmIntegration[] {
  const latest = new Map<string, CrmIntegration>();
  for (const s of syncs) {
    latest.set(s.crm_type, {
      crm_type: s.crm_type,
      crm_record_id: s.crm_record_id,
      status: s.status,
      sync_time_ms: s.sync_time_ms,
      last_sync_at: s.created_at,
    });
  }
  return [...latest.values()];
}

function summaryOf(row: repo.RequestRow, syncs: readonly repo.CrmSyncRow[]): RequestSummary {
  return {
    request_id: row.id,
    tenant_id: row.tenant_id,
    source_type: row.source_type,
    external_id: row.external_id,
    status: row.status,
    created_at: row.created_at,
    updated_at: row.updated_at,
    processed_at: row.processed_at,
    processing_time_ms: row.processing_time_ms,
    call_data: fromJson<Record<string, unknown>>(row.call_data, {}),
    ai_analysis: fromJson<Record<string, unknown> | null>(row.ai_analysis, null),
    crm_integrations: crmIntegrationsOf(syncs),
  };
}

function detailOf(
  row: repo.RequestRow,
  steps: readonly repo.StepRow[],
  syncs: readonly repo.CrmSyncRow[],
): RequestDetail {
  return {
    ...summaryOf(row, syncs),
    error_message: row.error_message,
    retry_scheduled: row.retry_scheduled === 1,
    retry_at: row.retry_at,
    processing_steps: stepsOf(row, steps).map(stepOf),
    original_payload: fromJson<unknown>(row.original_payload, {}),
    enriched_data: fromJson<Record<string, unknown>>(row.enriched_data, {}),
  };
}

function groupBy<T extends { request_id: string | null }>(rows: readonly T[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const r of rows) {
    if (r.request_id === null) continue;
    const list = out.get(r.request_id) ?? [];
    list.push(r);
    out.set(r.request_id, list);
  }
  return out;
}

function monthStart(now: Date): string {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)).toISOString();
}

export function createIngestionRequestsService(deps: {
  db: Db;
  clock: Clock;
  audit: AuditService;
  pipeline: RetryScheduler;
}): IngestionRequestsService {
  const { db } = deps;

  const details = async (tenantId: string, rows: readonly repo.RequestRow[]): Promise<RequestDetail[]> => {
    const ids = rows.map((r) => r.id);
    const [steps, syncs] = await Promise.all([
      repo.listStepsOf(db, tenantId, ids),
      repo.listCrmSyncsOf(db, tenantId, ids),
    ]);
    const stepsBy = groupBy(steps);
    const syncsBy = groupBy(syncs);
    return rows.map((r) => detailOf(r, stepsBy.get(r.id) ?? [], syncsBy.get(r.id) ?? []));
  };

  const get = async (tenantId: string, requestId: string): Promise<RequestDetail> => {
    const row = await repo.findRequest(db, tenantId, requestId);
    if (!row) throw notFound('request', requestId);
    const [detail] = await details(tenantId, [row]);
    return detail!;
  };

  return {
    async list(tenantId, input) {
      const { rows, total } = await repo.listRequests(db, tenantId, {
        ...createdRange(input.start_date, input.end_date),
        ...(input.status ? { status: input.status } : {}),
        ...(input.source ? { source: input.source } : {}),
        sort: input.sort,
        order: input.order,
        limit: input.limit,
        offset: input.offset,
      });
      const syncsBy = groupBy(
        await repo.listCrmSyncsOf(
          db,
          tenantId,
          rows.map((r) => r.id),
        ),
      );
      return { requests: rows.map((r) => summaryOf(r, syncsBy.get(r.id) ?? [])), total };
    },

    get,

    async update(actor, tenantId, requestId, input) {
      const row = await repo.findRequest(db, tenantId, requestId);
      if (!row) throw notFound('request', requestId);
      if (input.retry_scheduled === false && input.retry_at !== undefined) {
        throw invalid([
          {
            field: 'retry_at',
            issue: 'must be absent when retry_scheduled is false',
            type: 'invalid_combination',
            location: 'body',
          },
        ]);
      }
      const now = deps.clock.now();
      // A retry time alone asks for a retry; retry_scheduled alone means "retry now".
      const retryAt =
        input.retry_scheduled === true || input.retry_at !== undefined
          ? input.retry_at !== undefined
            ? new Date(input.retry_at)
            : now
          : null;
      const patch: Parameters<typeof repo.updateRequest>[3] = { updated_at: now.toISOString() };
      if (input.status !== undefined) patch.status = input.status;
      if (input.error_message !== undefined) patch.error_message = input.error_message;
      if (retryAt) Object.assign(patch, { retry_scheduled: 1, retry_at: retryAt.toISOString() });
      else if (input.retry_scheduled === false) Object.assign(patch, { retry_scheduled: 0, retry_at: null });
      await repo.updateRequest(db, tenantId, requestId, patch);
      if (retryAt) {
        // The row is written first so the pipeline, which may move the status on, has the last word;
        // a retry that could not be queued must not stay advertised on the request.
        try {
          await deps.pipeline.scheduleRetry(tenantId, requestId, retryAt);
        } catch (err) {
          await repo.updateRequest(db, tenantId, requestId, {
            retry_scheduled: row.retry_scheduled,
            retry_at: row.retry_at,
          });
          throw err;
        }
      }
      const changed = Object.keys(patch).filter((k) => k !== 'updated_at') as (keyof typeof patch)[];
      await deps.audit.record(actor, {
        tenantId,
        action: 'ingestion_request.updated',
        targetType: 'ingestion_request',
        targetId: requestId,
        before: Object.fromEntries(changed.map((k) => [k, row[k]])),
        after: Object.fromEntries(changed.map((k) => [k, patch[k]])),
      });
      return get(tenantId, requestId);
    },

    async *pages(tenantId, range, pageSize) {
      let cursor: { createdAt: string; id: string } | null = null;
      for (;;) {
        const rows = await repo.listRequestsAfter(db, tenantId, range, cursor, pageSize);
        if (rows.length === 0) return;
        yield await details(tenantId, rows);
        const last = rows[rows.length - 1]!;
        cursor = { createdAt: last.created_at, id: last.id };
        if (rows.length < pageSize) return;
      }
    },

    async usageStats(tenantId) {
      const [counts, crm] = await Promise.all([
        repo.usageCounts(db, tenantId, monthStart(deps.clock.now())),
        repo.crmSyncCounts(db, tenantId, null),
      ]);
      return {
        total_requests: counts.total,
        current_month_requests: counts.sinceMonthStart,
        success_rate: ratio(counts.completed, counts.completed + counts.failed),
        average_processing_time_ms: counts.avgProcessingMs === null ? null : Math.round(counts.avgProcessingMs),
        crm_sync_success_rate: ratio(crm.succeeded, crm.total),
      };
    },
  };
}
