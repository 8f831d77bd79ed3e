import type { AnalyticsReadModel, LeadBucketSample } from './analytics-read-model.repo.js';
import { DAY_MS, round } from './figures.js';

export const TIME_BUCKETS = ['hour', 'day', 'week', 'month'] as const;
export type TimeBucket = (typeof TIME_BUCKETS)[number];

export interface TierCounts {
  HOT: number;
  WARM: number;
  COLD: number;
}

export interface LeadBucket {
  /** Where the bucket starts: `YYYY-MM-DDTHH:00:00Z` (hour), `YYYY-MM-DD` (day, week's Monday), `YYYY-MM` (month). */
  start: string;
  leads: number;
  hot: number;
  warm: number;
  cold: number;
}

/** Figures over a tenant's qualified leads; averages and rates are 0 when there are none. */
export interface QualificationFacts {
  total: number;
  byTier: TierCounts;
  averageScore: number;
  averageProcessingMs: number;
  /** Leads marked won over all leads. */
  conversionRate: number;
  buckets: LeadBucket[];
}

export interface LeadAnalytics {
  /** The leads qualified in the last `days` days (all when null), bucketed by `bucket`. */
  qualifications(tenantId: string, days: number | null, bucket: TimeBucket): Promise<QualificationFacts>;
}

/** The Monday (UTC) of the ISO week a `YYYY-MM-DD` day falls in. */
function weekOf(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
  return d.toISOString().slice(0, 10);
}

function bucketStart(raw: string, bucket: TimeBucket): string {
  if (bucket === 'hour') return `${raw}:00:00Z`;
  if (bucket === 'week') return weekOf(raw);
  if (bucket === 'month') return raw.slice(0, 7);
  return raw;
}

const tierOf = (tier: string | null) => (tier === 'HOT' || tier === 'WARM' || tier === 'COLD' ? tier : null);

function bucketsOf(rows: readonly LeadBucketSample[], bucket: TimeBucket): LeadBucket[] {
  const buckets = new Map<string, LeadBucket>();
  for (const r of rows) {
    const start = bucketStart(r.bucket, bucket);
    const b = buckets.get(start) ?? { start, leads: 0, hot: 0, warm: 0, cold: 0 };
    b.leads += r.leads;
    const tier = tierOf(r.tier);
    if (tier) b[tier === 'HOT' ? 'hot' : tier === 'WARM' ? 'warm' : 'cold'] += r.leads;
    buckets.set(start, b);
  }
  return [...buckets.values()].sort((a, b) => a.start.localeCompare(b.start));
}

function factsOf(rows: readonly LeadBucketSample[], bucket: TimeBucket): QualificationFacts {
  const byTier: TierCounts = { HOT: 0, WARM: 0, COLD: 0 };
  let total = 0;
  let scoreSum = 0;
  let timeSum = 0;
  let won = 0;
  for (const r of rows) {
    total += r.leads;
    scoreSum += r.scoreSum;
    timeSum += r.processingMsSum;
    won += r.won;
    const tier = tierOf(r.tier);
    if (tier) byTier[tier] += r.leads;
  }
  return {
    total,
    byTier,
    averageScore: total ? round(scoreSum / total, 1) : 0,
    averageProcessingMs: total ? Math.round(timeSum / total) : 0,
    conversionRate: total ? round(won / total, 4) : 0,
    buckets: bucketsOf(rows, bucket),
  };
}

export function createLeadAnalytics(ports: { readModel: AnalyticsReadModel; clock: { now(): Date } }): LeadAnalytics {
  return {
    async qualifications(tenantId, days, bucket) {
      const from = days === null ? null : new Date(ports.clock.now().getTime() - days * DAY_MS).toISOString();
      const rows = await ports.readModel.qualifiedLeadsByBucket(tenantId, from, bucket === 'hour' ? 13 : 10);
      return factsOf(rows, bucket);
    },
  };
}
