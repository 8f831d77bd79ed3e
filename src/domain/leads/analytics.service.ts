import type { Clock } from '../../lib/clock.js';
import type { Db } from '../../store/db.js';
import * as repo from './leads.repo.js';

export const ANALYTICS_PERIODS = { '7d': 7, '30d': 30, '90d': 90, all: null } as const;
export type AnalyticsPeriod = keyof typeof ANALYTICS_PERIODS;
export const GROUP_BY = ['hour', 'day', 'week', 'month'] as const;
export type GroupBy = (typeof GROUP_BY)[number];

export interface QualificationAnalytics {
  period: AnalyticsPeriod;
  group_by: GroupBy;
  total_leads: number;
  by_tier: { HOT: number; WARM: number; COLD: number };
  avg_score: number;
  avg_processing_time_ms: number;
  conversion_rate: number;
  daily_breakdown: { date: string; leads: number; hot: number; warm: number; cold: number }[];
}

/** The Monday (UTC) of the ISO week a `YYYY-MM-DD` day falls in. */
function weekOf(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
  return d.toISOString().slice(0, 10);
}

function bucketOf(raw: string, groupBy: GroupBy): string {
  if (groupBy === 'hour') return `${raw}:00:00Z`;
  if (groupBy === 'week') return weekOf(raw);
  if (groupBy === 'month') return raw.slice(0, 7);
  return raw;
}

const round = (n: number, places: number) => Math.round(n * 10 ** places) / 10 ** places;

export interface LeadAnalyticsService {
  /** Spec E's analytics, computed from the tenant's stored qualifications; conversion counts leads marked won. */
  qualifications(tenantId: string, period: AnalyticsPeriod, groupBy: GroupBy): Promise<QualificationAnalytics>;
}

export function createLeadAnalyticsService(deps: { db: Db; clock: Clock }): LeadAnalyticsService {
  return { qualifications: (tenantId, period, groupBy) => qualificationAnalytics(deps, tenantId, period, groupBy) };
}

async function qualificationAnalytics(
  deps: { db: Db; clock: Clock },
  tenantId: string,
  period: AnalyticsPeriod,
  groupBy: GroupBy,
): Promise<QualificationAnalytics> {
  const days = ANALYTICS_PERIODS[period];
  const from = days === null ? null : new Date(deps.clock.now().getTime() - days * 86_400_000).toISOString();
  const rows = await repo.statsByBucket(deps.db, tenantId, from, groupBy === 'hour' ? 13 : 10);
  const byTier = { HOT: 0, WARM: 0, COLD: 0 };
  const buckets = new Map<string, { leads: number; hot: number; warm: number; cold: number }>();
  let total = 0;
  let scoreSum = 0;
  let timeSum = 0;
  let won = 0;
  for (const r of rows) {
    total += r.leads;
    scoreSum += r.score_sum;
    timeSum += r.time_sum;
    won += r.won;
    const tier = r.tier === 'HOT' || r.tier === 'WARM' || r.tier === 'COLD' ? r.tier : null;
    if (tier) byTier[tier] += r.leads;
    const key = bucketOf(r.bucket, groupBy);
    const b = buckets.get(key) ?? { leads: 0, hot: 0, warm: 0, cold: 0 };
    b.leads += r.leads;
    if (tier === 'HOT') b.hot += r.leads;
    if (tier === 'WARM') b.warm += r.leads;
    if (tier === 'COLD') b.cold += r.leads;
    buckets.set(key, b);
  }
  return {
    period,
    group_by: groupBy,
    total_leads: total,
    by_tier: byTier,
    avg_score: total ? round(scoreSum / total, 1) : 0,
    avg_processing_time_ms: total ? Math.round(timeSum / total) : 0,
    conversion_rate: total ? round(won / total, 4) : 0,
    daily_breakdown: [...buckets.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([date, b]) => ({ date, ...b })),
  };
}
