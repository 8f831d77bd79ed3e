import type { QualificationFacts, TimeBucket } from '../../domain/analytics/index.js';
import type { LeadRouted } from '../../domain/crm/index.js';
import type {
  AnnouncedLead,
  BatchFinished,
  BatchResult,
  BatchStatus,
  Lead,
  LeadEvent,
  ScoreHistoryEntry,
} from '../../domain/leads/index.js';
import type { AnalysisResult } from '../../engine/analysis.schema.js';
import type { CreatedWebhook, Delivery, Webhook, WebhookFormat } from '../../domain/webhooks/index.js';

// ---- Leads and batches (spec E's qualifications, leads, outcomes and batch status) ----

/** Spec E's response for one qualified lead. */
export function qualificationView(
  leadId: string,
  analysis: AnalysisResult,
  processingTimeMs: number,
  createdAt: string,
) {
  const e = analysis.enrichment;
  return {
    id: leadId,
    score: analysis.score,
    tier: analysis.tier,
    reasoning: analysis.reasoning,
    recommended_action: analysis.recommended_action,
    enrichment: {
      company_size: e.company_size,
      industry: e.industry,
      estimated_revenue: e.estimated_revenue,
      linkedin_url: e.linkedin_url,
      location: e.location,
    },
    scoring_breakdown: analysis.scoring_breakdown,
    processing_time_ms: processingTimeMs,
    created_at: createdAt,
  };
}

/** A stored lead with its latest qualification and its score history. */
export function leadView(lead: Lead, history: ScoreHistoryEntry[]) {
  return {
    ...(lead.analysis
      ? qualificationView(lead.id, lead.analysis, lead.processingTimeMs ?? 0, lead.createdAt)
      : { id: lead.id }),
    email: lead.email,
    company: lead.company,
    status: lead.status,
    score_history: history.map((h) => ({
      score: h.score,
      tier: h.tier,
      provider: h.provider,
      model: h.model,
      scored_at: h.createdAt,
    })),
  };
}

export function outcomeView(lead: Lead) {
  return { id: lead.id, status: lead.status, won_at: lead.wonAt };
}

/** The 202 answer to a batch: where to follow it. */
export function batchAcceptedView(b: { batchId: string; total: number; estimatedCompletionSeconds: number }) {
  return {
    batch_id: b.batchId,
    total_leads: b.total,
    status: 'processing',
    estimated_completion_seconds: b.estimatedCompletionSeconds,
    status_url: `/api/batch/${b.batchId}/status`,
  };
}

/** One qualified lead of a batch, in its status answer and its completion webhook. */
function batchResultView(r: BatchResult) {
  return { email: r.email, lead_id: r.leadId, score: r.score, tier: r.tier };
}

export function batchStatusView(s: BatchStatus) {
  return {
    batch_id: s.batchId,
    status: s.status,
    priority: s.priority,
    total_leads: s.total,
    processed: s.processed,
    failed: s.failed,
    pending: s.pending,
    progress: s.total ? Math.round(((s.processed + s.failed) / s.total) * 1000) / 1000 : 1,
    results: s.results.map(batchResultView),
    failures: s.failures,
    processing_time_ms: s.processingTimeMs,
    created_at: s.createdAt,
    completed_at: s.completedAt,
  };
}

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

/* ---- Outbound webhooks (spec E /api/webhooks) ---- */

export function webhookView(w: Webhook) {
  return {
    id: w.id,
    url: w.url,
    events: w.events,
    status: w.status,
    consecutive_failures: w.consecutiveFailures,
    failing_since: w.failingSince,
    disabled_at: w.disabledAt,
    disabled_reason: w.disabledReason,
    created_at: w.createdAt,
    updated_at: w.updatedAt,
  };
}

export function createdView(w: CreatedWebhook) {
  return { ...webhookView(w), secret: w.secret };
}

export function deliveryView(d: Delivery) {
  return {
    id: d.id,
    webhook_id: d.webhookId,
    event_id: d.eventId,
    event: d.event,
    status: d.status,
    attempt_count: d.attemptCount,
    next_attempt_at: d.nextAttemptAt,
    last_status_code: d.lastStatusCode,
    last_error: d.lastError,
    replay_of: d.replayOf,
    created_at: d.createdAt,
    delivered_at: d.deliveredAt,
    payload: d.payload,
    attempts: d.attempts.map((a) => ({
      attempt: a.attempt,
      requested_at: a.requestedAt,
      duration_ms: a.durationMs,
      status_code: a.statusCode,
      response_body: a.responseBody,
      error: a.error,
    })),
  };
}

/* ---- Outbound webhook payloads (spec E's "Webhook payload format": the `data` of each event) ---- */

/** Every event spec E's webhooks announce. */
export type QualifierEvent = LeadEvent | BatchFinished | LeadRouted;

function announcedLeadData(l: AnnouncedLead) {
  return {
    id: l.id,
    email: l.email,
    company: l.company,
    name: l.name,
    score: l.score,
    tier: l.tier,
    recommended_action: l.recommendedAction,
  };
}

function batchFinishedData(b: BatchFinished) {
  return {
    batch_id: b.batchId,
    status: b.status,
    total_leads: b.total,
    processed: b.processed,
    failed: b.failed,
    results: b.results.map(batchResultView),
    processing_time_ms: b.processingTimeMs,
    completed_at: b.completedAt,
  };
}

/** The webhook each domain event goes out as; the domain takes it at composition as its webhook format. */
export const qualifierWebhook: WebhookFormat<QualifierEvent> = (e) => {
  switch (e.type) {
    case 'lead.qualified':
      return { event: e.type, data: announcedLeadData(e.lead) };
    case 'lead.scored':
      return {
        event: e.type,
        data: { ...announcedLeadData(e.lead), previous_score: e.previousScore, previous_tier: e.previousTier },
      };
    case 'lead.enriched':
      return { event: e.type, data: { id: e.leadId, email: e.email, enrichment: e.enrichment } };
    case 'lead.routed':
      return {
        event: e.type,
        data: {
          id: e.leadId,
          email: e.email,
          crm: e.crm,
          crm_record_id: e.crmRecordId,
          owner_id: e.ownerId,
          pipeline_id: e.pipelineId,
        },
      };
    case 'batch.completed':
    case 'batch.failed':
      return { event: e.type, data: batchFinishedData(e) };
  }
};
