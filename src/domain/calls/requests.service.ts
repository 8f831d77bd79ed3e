import type { Clock } from '../../lib/clock.js';
import type { Actor } from '../actor.js';
import { notFound } from '../errors.js';
import type { CallsStore } from './calls.repo.js';
import type { RequestStatus, SourceType } from './calls.schema.js';
import type { CallRequest, CallRequestDetail, CallRequestSummary, CallUsage } from './records.js';
import { createdRange } from './created-range.js';
import type { RequestFilter, RequestSort } from './request-search.repo.js';
import { retryFailed, updateRequest, type RequestUpdatePorts, type UpdateRequestInput } from './request-update.js';
import { planSteps } from './step-plan.js';

export interface ListRequestsInput {
  limit: number;
  offset: number;
  status?: RequestStatus;
  source?: SourceType;
  /** A day (`YYYY-MM-DD`, UTC) or an instant; see `createdRange`. */
  startDate?: string;
  endDate?: string;
  sort: RequestSort;
  order: 'asc' | 'desc';
}

export interface IngestionRequestsService {
  list(tenantId: string, input: ListRequestsInput): Promise<{ requests: CallRequestSummary[]; total: number }>;
  get(tenantId: string, requestId: string): Promise<CallRequestDetail>;
  /** A manual status change; a scheduled retry is handed to the pipeline. */
  update(actor: Actor, tenantId: string, requestId: string, input: UpdateRequestInput): Promise<CallRequestDetail>;
  /** Re-runs a failed request now, from its failed step; a request that has not failed is a conflict. */
  retry(actor: Actor, tenantId: string, requestId: string): Promise<CallRequestDetail>;
  /** Full records created in a range, oldest first, a page at a time (exports). */
  pages(tenantId: string, range: RequestFilter, pageSize: number): AsyncGenerator<CallRequestDetail[]>;
  usageStats(tenantId: string): Promise<CallUsage>;
}

export interface RequestsPorts extends Omit<RequestUpdatePorts, 'get'> {
  store: Pick<CallsStore, 'requests' | 'steps' | 'search'>;
  clock: Clock;
}

/** A share of a whole to four places, or null when there is nothing to measure. */
export function ratio(part: number, whole: number): number | null {
  return whole > 0 ? Math.round((part / whole) * 10_000) / 10_000 : null;
}

function monthStart(now: Date): string {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)).toISOString();
}

async function details(ports: RequestsPorts, tenantId: string, requests: readonly CallRequest[]) {
  const ids = requests.map((r) => r.id);
  const [steps, syncs] = await Promise.all([
    ports.store.steps.listFor(tenantId, ids),
    ports.store.search.crmSyncsFor(tenantId, ids),
  ]);
  return requests.map((r): CallRequestDetail => ({
    ...r,
    crmSyncs: syncs.get(r.id) ?? [],
    steps: planSteps(r, steps.get(r.id) ?? []),
  }));
}

async function get(ports: RequestsPorts, tenantId: string, requestId: string): Promise<CallRequestDetail> {
  const request = await ports.store.requests.findById(tenantId, requestId);
  if (!request) throw notFound('request', requestId);
  const [detail] = await details(ports, tenantId, [request]);
  return detail!;
}

async function list(ports: RequestsPorts, tenantId: string, input: ListRequestsInput) {
  const { requests, total } = await ports.store.search.list(tenantId, {
    ...createdRange(input.startDate, input.endDate),
    ...(input.status ? { status: input.status } : {}),
    ...(input.source ? { source: input.source } : {}),
    sort: input.sort,
    order: input.order,
    limit: input.limit,
    offset: input.offset,
  });
  const syncs = await ports.store.search.crmSyncsFor(
    tenantId,
    requests.map((r) => r.id),
  );
  return { requests: requests.map((r) => ({ ...r, crmSyncs: syncs.get(r.id) ?? [] })), total };
}

async function* pages(ports: RequestsPorts, tenantId: string, range: RequestFilter, pageSize: number) {
  let cursor: { createdAt: string; id: string } | null = null;
  for (;;) {
    const requests = await ports.store.search.listAfter(tenantId, range, cursor, pageSize);
    if (requests.length === 0) return;
    yield await details(ports, tenantId, requests);
    const last = requests[requests.length - 1]!;
    cursor = { createdAt: last.createdAt, id: last.id };
    if (requests.length < pageSize) return;
  }
}

async function usage(ports: RequestsPorts, tenantId: string): Promise<CallUsage> {
  const [counts, crm] = await Promise.all([
    ports.store.search.usageCounts(tenantId, monthStart(ports.clock.now())),
    ports.store.search.crmSyncCounts(tenantId, null),
  ]);
  return {
    total: counts.total,
    thisMonth: counts.sinceMonthStart,
    successRate: ratio(counts.completed, counts.completed + counts.failed),
    averageProcessingTimeMs: counts.avgProcessingMs === null ? null : Math.round(counts.avgProcessingMs),
    crmSyncSuccessRate: ratio(crm.succeeded, crm.total),
  };
}

/** The management side of requests: pages, details, manual changes, the tenant's figures. */
export function createIngestionRequestsService(ports: RequestsPorts): IngestionRequestsService {
  const getOne = (tenantId: string, requestId: string) => get(ports, tenantId, requestId);
  return {
    list: (tenantId, input) => list(ports, tenantId, input),
    get: getOne,
    update: (actor, tenantId, requestId, input) =>
      updateRequest({ ...ports, get: getOne }, actor, tenantId, requestId, input),
    retry: (actor, tenantId, requestId) => retryFailed({ ...ports, get: getOne }, actor, tenantId, requestId),
    pages: (tenantId, range, pageSize) => pages(ports, tenantId, range, pageSize),
    usageStats: (tenantId) => usage(ports, tenantId),
  };
}
