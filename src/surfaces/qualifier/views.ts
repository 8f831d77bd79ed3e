import type { QualificationFacts, TimeBucket } from '../../domain/analytics/index.js';

// ---------------------------------------------------------------------------------------------
// Analytics: spec E's `/api/analytics` document.

/** Spec E's analytics periods, in days (`all`: no lower bound). */
export const ANALYTICS_PERIODS = { '7d': 7, '30d': 30, '90d': 90, all: null } as const;
export type AnalyticsPeriod = keyof typeof ANALYTICS_PERIODS;

/** Spec E's analytics: totals, tiers and rates, and the leads per time bucket under `daily_breakdown`. */
export function qualificationAnalyticsView(period: AnalyticsPeriod, groupBy: TimeBucket, facts: QualificationFacts) {
  return {
    period,
    group_by: groupBy,
    total_leads: facts.total,
    by_tier: facts.byTier,
    avg_score: facts.averageScore,
    avg_processing_time_ms: facts.averageProcessingMs,
    conversion_rate: facts.conversionRate,
    daily_breakdown: facts.buckets.map((b) => ({
      date: b.start,
      leads: b.leads,
      hot: b.hot,
      warm: b.warm,
      cold: b.cold,
    })),
  };
}
