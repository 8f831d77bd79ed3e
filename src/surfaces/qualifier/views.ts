import type { CreatedWebhook, Delivery, Webhook } from '../../domain/webhooks/index.js';

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
