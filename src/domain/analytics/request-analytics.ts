import type { AnalyticsReadModel, RequestSample } from './analytics-read-model.repo.js';
import { DAY_MS, mean, percentile, ratio, round, roundOrNull } from './figures.js';

/** Lead-score bands, each up to and including its upper bound. */
const SCORE_BANDS = [
  ['0-20', 20],
  ['21-40', 40],
  ['41-60', 60],
  ['61-80', 80],
  ['81-100', Infinity],
] as const;
/** The high-value threshold of a tenant that has not set one. */
const DEFAULT_HIGH_VALUE = 80;

export interface RequestTotals {
  requests: number;
  completed: number;
  failed: number;
  /** Completed over completed and failed; null when none finished. */
  completionRate: number | null;
  averageLeadScore: number | null;
  /** Requests scored at or above the tenant's high-value threshold. */
  highValue: number;
  crmSyncSuccessRate: number | null;
}

export interface RequestDay {
  /** `YYYY-MM-DD` (UTC). */
  day: string;
  requests: number;
  completionRate: number | null;
  averageLeadScore: number | null;
  averageProcessingMs: number | null;
}

export interface RequestTimings {
  averageProcessingMs: number | null;
  p50ProcessingMs: number | null;
  p95ProcessingMs: number | null;
  averageAckMs: number | null;
}

export interface RequestCosts {
  total: number;
  perRequest: number | null;
  byStep: Record<string, number>;
}

/** Figures over a tenant's ingestion requests created in a window; `costs` only when asked for. */
export interface RequestFacts {
  tenantId: string;
  totals: RequestTotals;
  days: RequestDay[];
  /** Scored requests per lead-score band (every band present). */
  scoreBands: Record<string, number>;
  /** Requests per project type, `other` when none was found. */
  projectTypes: Record<string, number>;
  timings: RequestTimings;
  costs?: RequestCosts;
}

export interface RequestAnalytics {
  /** The requests created in the last `days` days. */
  requests(tenantId: string, days: number, options: { costs: boolean }): Promise<RequestFacts>;
}

/** What the request figures read of a tenant: its high-value threshold, when set. */
export interface TenantThresholds {
  get(tenantId: string): Promise<{ config: { notification_config?: { high_value_threshold?: number } } }>;
}

const scoresOf = (rows: readonly RequestSample[]) => rows.flatMap((r) => (r.leadScore === null ? [] : [r.leadScore]));
const completedTimes = (rows: readonly RequestSample[]) =>
  rows.flatMap((r) => (r.status === 'completed' && r.processingMs !== null ? [r.processingMs] : []));

function totalsOf(
  rows: readonly RequestSample[],
  threshold: number,
  crm: { total: number; succeeded: number },
): RequestTotals {
  const scores = scoresOf(rows);
  const completed = rows.filter((r) => r.status === 'completed').length;
  const failed = rows.filter((r) => r.status === 'failed').length;
  return {
    requests: rows.length,
    completed,
    failed,
    completionRate: ratio(completed, completed + failed),
    averageLeadScore: roundOrNull(mean(scores), 1),
    highValue: scores.filter((s) => s >= threshold).length,
    crmSyncSuccessRate: ratio(crm.succeeded, crm.total),
  };
}

function daysOf(rows: readonly RequestSample[]): RequestDay[] {
  const days = new Map<string, RequestSample[]>();
  for (const r of rows) {
    const day = r.createdAt.slice(0, 10);
    const list = days.get(day);
    if (list) list.push(r);
    else days.set(day, [r]);
  }
  return [...days.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([day, list]) => {
      const completed = list.filter((r) => r.status === 'completed');
      const failed = list.filter((r) => r.status === 'failed').length;
      return {
        day,
        requests: list.length,
        completionRate: ratio(completed.length, completed.length + failed),
        averageLeadScore: roundOrNull(mean(scoresOf(list)), 1),
        averageProcessingMs: roundOrNull(mean(completedTimes(completed))),
      };
    });
}

function distributions(rows: readonly RequestSample[]): Pick<RequestFacts, 'scoreBands' | 'projectTypes'> {
  const scoreBands: Record<string, number> = Object.fromEntries(SCORE_BANDS.map(([name]) => [name, 0]));
  const projectTypes: Record<string, number> = {};
  for (const r of rows) {
    if (r.leadScore !== null) {
      const band = SCORE_BANDS.find(([, max]) => r.leadScore! <= max)!;
      scoreBands[band[0]]! += 1;
    }
    const type = r.projectType ?? 'other';
    projectTypes[type] = (projectTypes[type] ?? 0) + 1;
  }
  return { scoreBands, projectTypes };
}

function timingsOf(rows: readonly RequestSample[]): RequestTimings {
  const times = completedTimes(rows).sort((a, b) => a - b);
  return {
    averageProcessingMs: roundOrNull(mean(times)),
    p50ProcessingMs: percentile(times, 50),
    p95ProcessingMs: percentile(times, 95),
    averageAckMs: roundOrNull(mean(rows.flatMap((r) => (r.ackMs === null ? [] : [r.ackMs])))),
  };
}

function costsOf(costs: readonly { step: string; cost: number }[], requests: number): RequestCosts {
  const total = costs.reduce((sum, c) => sum + c.cost, 0);
  return {
    total: round(total, 4),
    perRequest: requests > 0 ? round(total / requests, 4) : null,
    byStep: Object.fromEntries(costs.map((c) => [c.step, round(c.cost, 4)])),
  };
}

export function createRequestAnalytics(ports: {
  readModel: AnalyticsReadModel;
  clock: { now(): Date };
  tenants: TenantThresholds;
}): RequestAnalytics {
  const { readModel } = ports;
  return {
    async requests(tenantId, days, options) {
      // Unknown tenants fail here, before anything is read.
      const tenant = await ports.tenants.get(tenantId);
      const from = new Date(ports.clock.now().getTime() - days * DAY_MS).toISOString();
      const [rows, crm, costs] = await Promise.all([
        readModel.requestsSince(tenantId, from),
        readModel.requestCrmSyncsSince(tenantId, from),
        options.costs ? readModel.stepCostsSince(tenantId, from) : undefined,
      ]);
      const threshold = tenant.config.notification_config?.high_value_threshold ?? DEFAULT_HIGH_VALUE;
      return {
        tenantId,
        totals: totalsOf(rows, threshold, crm),
        days: daysOf(rows),
        ...distributions(rows),
        timings: timingsOf(rows),
        ...(costs ? { costs: costsOf(costs, rows.length) } : {}),
      };
    },
  };
}
