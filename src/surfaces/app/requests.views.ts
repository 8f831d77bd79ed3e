import type { CallRequest, CallRequestDetail, CallStep } from '../../domain/calls/index.js';
import type { Lead } from '../../domain/leads/index.js';

const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

/** Who called or wrote in, as the intake and the CallRail step recorded them. */
function callerView(r: CallRequest) {
  const d = r.callData;
  return { name: text(d.caller_name), phone: text(d.caller_phone), email: text(d.caller_email) };
}

/** A spec A request in the app's list. */
export function requestItemView(r: CallRequest) {
  return {
    id: r.id,
    source: r.source,
    external_id: r.externalId,
    status: r.status,
    caller: callerView(r),
    lead_id: r.leadId,
    lead_score: r.leadScore,
    error_message: r.errorMessage,
    retry_scheduled: r.retryScheduled,
    created_at: r.createdAt,
    updated_at: r.updatedAt,
    processed_at: r.processedAt,
    processing_time_ms: r.processingTimeMs,
  };
}

/** One step of the timeline; a step's finish is its start plus its duration, once it has one. */
function stepView(s: CallStep) {
  const finishedAt =
    s.startedAt !== null && s.durationMs !== null
      ? new Date(new Date(s.startedAt).getTime() + s.durationMs).toISOString()
      : null;
  return {
    name: s.step,
    status: s.status,
    attempts: s.attempts,
    started_at: s.startedAt,
    finished_at: finishedAt,
    duration_ms: s.durationMs,
    error: s.error,
    reason: s.reason,
  };
}

/** A request with its step timeline and the lead it produced, when there is one. */
export function requestDetailView(r: CallRequestDetail, lead: Lead | null) {
  return {
    ...requestItemView(r),
    retry_at: r.retryAt,
    steps: r.steps.map(stepView),
    lead: lead
      ? { id: lead.id, name: lead.name, email: lead.email, phone: lead.phone, score: lead.score, tier: lead.tier }
      : null,
  };
}
