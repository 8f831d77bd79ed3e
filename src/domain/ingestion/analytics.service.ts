import type { Clock } from '../../lib/clock.js';
import type { Db } from '../../store/db.js';
import type { TenantsService } from '../tenants/index.js';
import * as repo from './requests.query.js';
import { ratio } from './requests.service.js';

/** Spec A's analytics periods, in days. */
export const ANALYTICS_PERIODS = { '7d': 7, '30d': 30, '90d': 90, '1y': 365 } as const;
export type AnalyticsPeriod = keyof typeof ANALYTICS_PERIODS;
export const ANALYTICS_METRICS = ['volume', 'quality', 'performance', 'costs'] as const;
export type AnalyticsMetric = (typeof ANALYTICS_METRICS)[number];

const SCORE_BUCKETS = [
  ['0-20', 20],
  ['21-40', 40],
  ['41-60', 60],
  ['61-80', 80],
  ['81-100', Infinity],
] as const;
/** Spec A's `notification_config.high_value_threshold` when the tenant has not set one. */
const DEFAULT_HIGH_VALUE = 80;

export interface DailyBreakdown {
  date: string;
  calls: number;
  success_rate: number | null;
  average_score: number | null;
  processing_time_avg_ms: number | null;
}

export interface IngestionAnalytics {
  period: AnalyticsPeriod;
  tenant_id: string;
  summary: {
    total_calls: number;
    processed_calls: number;
    failed_calls: number;
    success_rate: number | null;
    average_lead_score: number | null;
    high_value_leads: number;
    crm_sync_success_rate: number | null;
  };
  daily_breakdown?: DailyBreakdown[];
  quality_metrics?: { lead_score_distribution: Record<string, number>; project_type_breakdown: Record<string, number> };
  performance_metrics?: {
    average_processing_time_ms: number | null;
    p50_processing_time_ms: number | null;
    p95_processing_time_ms: number | null;
    webhook_response_time_ms: number | null;
  };
  cost_analysis?: { total_cost: number; cost_per_call: number | null; cost_breakdown: Record<string, number> };
}

export interface IngestionAnalyticsService {
  /** Spec A's tenant analytics over the requests created in the period; `summary` always, other sections as asked. */
  report(tenantId: string, period: AnalyticsPeriod, metrics: readonly AnalyticsMetric[]): Promise<IngestionAnalytics>;
}

const round = (n: number, places: number) => Math.round(n * 10 ** places) / 10 ** places;
const mean = (values: readonly number[]): number | null =>
  values.length > 0 ? values.reduce((a, b) => a + b, 0) / values.length : null;
const roundOrNull = (n: number | null, places = 0) => (n === null ? null : round(n, places));

/** Nearest-rank percentile of ascending values. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

const numbers = (values: readonly (number | null)[]): number[] =>
  values.filter((v): v is number => v !== null).map(Number);

function daily(rows: readonly repo.AnalyticsRow[]): DailyBreakdown[] {
  const days = new Map<string, repo.AnalyticsRow[]>();
  for (const r of rows) {
    const day = r.created_at.slice(0, 10);
    const list = days.get(day);
    if (list) list.push(r);
    else days.set(day, [r]);
  }
  return [...days.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([date, list]) => {
      const completed = list.filter((r) => r.status === 'completed');
      const failed = list.filter((r) => r.status === 'failed').length;
      return {
        date,
        calls: list.length,
        success_rate: ratio(completed.length, completed.length + failed),
        average_score: roundOrNull(mean(numbers(list.map((r) => r.lead_score))), 1),
        processing_time_avg_ms: roundOrNull(mean(numbers(completed.map((r) => r.processing_time_ms)))),
      };
    });
}

function quality(rows: readonly repo.AnalyticsRow[]): NonNullable<IngestionAnalytics['quality_metrics']> {
  const distribution: Record<string, number> = Object.fromEntries(SCORE_BUCKETS.map(([name]) => [name, 0]));
  const projects: Record<string, number> = {};
  for (const r of rows) {
    if (r.lead_score !== null) {
      const bucket = SCORE_BUCKETS.find(([, max]) => Number(r.lead_score) <= max)!;
      distribution[bucket[0]]! += 1;
    }
    const type = r.project_type ?? 'other';
    projects[type] = (projects[type] ?? 0) + 1;
  }
  return { lead_score_distribution: distribution, project_type_breakdown: projects };
}

function performance(rows: readonly repo.AnalyticsRow[]): NonNullable<IngestionAnalytics['performance_metrics']> {
  const times = numbers(rows.filter((r) => r.status === 'completed').map((r) => r.processing_time_ms)).sort(
    (a, b) => a - b,
  );
  return {
    average_processing_time_ms: roundOrNull(mean(times)),
    p50_processing_time_ms: percentile(times, 50),
    p95_processing_time_ms: percentile(times, 95),
    webhook_response_time_ms: roundOrNull(mean(numbers(rows.map((r) => r.ack_ms)))),
  };
}

export function createIngestionAnalyticsService(deps: {
  db: Db;
  clock: Clock;
  tenants: Pick<TenantsService, 'get'>;
}): IngestionAnalyticsService {
  return {
    async report(tenantId, period, metrics) {
      const tenant = await deps.tenants.get(tenantId);
      const from = new Date(deps.clock.now().getTime() - ANALYTICS_PERIODS[period] * 86_400_000).toISOString();
      const want = new Set(metrics);
      const [rows, crm, costs] = await Promise.all([
        repo.requestsSince(deps.db, tenantId, from),
        repo.crmSyncCounts(deps.db, tenantId, from),
        want.has('costs') ? repo.stepCostsSince(deps.db, tenantId, from) : Promise.resolve([]),
      ]);
      const threshold = tenant.config.notification_config?.high_value_threshold ?? DEFAULT_HIGH_VALUE;
      const scores = numbers(rows.map((r) => r.lead_score));
      const processed = rows.filter((r) => r.status === 'completed').length;
      const failed = rows.filter((r) => r.status === 'failed').length;
      const report: IngestionAnalytics = {
        period,
        tenant_id: tenantId,
        summary: {
          total_calls: rows.length,
          processed_calls: processed,
          failed_calls: failed,
          success_rate: ratio(processed, processed + failed),
          average_lead_score: roundOrNull(mean(scores), 1),
          high_value_leads: scores.filter((s) => s >= threshold).length,
          crm_sync_success_rate: ratio(crm.succeeded, crm.total),
        },
      };
      if (want.has('volume')) report.daily_breakdown = daily(rows);
      if (want.has('quality')) report.quality_metrics = quality(rows);
      if (want.has('performance')) report.performance_metrics = performance(rows);
      if (want.has('costs')) {
        const total = costs.reduce((sum, c) => sum + c.cost, 0);
        report.cost_analysis = {
          total_cost: round(total, 4),
          cost_per_call: rows.length > 0 ? round(total / rows.length, 4) : null,
          cost_breakdown: Object.fromEntries(costs.map((c) => [c.step, round(c.cost, 4)])),
        };
      }
      return report;
    },
  };
}
