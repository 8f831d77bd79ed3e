import type { CredentialOverview, User } from '../../domain/tenants/index.js';
import type { Delivery, Webhook } from '../../domain/webhooks/index.js';

/** How the settings pages see webhooks, their deliveries, API keys and the team; never a stored secret. */

export function webhookView(w: Webhook) {
  return {
    id: w.id,
    url: w.url,
    events: w.events,
    enabled: w.status === 'active',
    disabled_reason: w.disabledReason,
    disabled_at: w.disabledAt,
    consecutive_failures: w.consecutiveFailures,
    created_at: w.createdAt,
    updated_at: w.updatedAt,
  };
}

export function deliveryView(d: Delivery) {
  return {
    id: d.id,
    event: d.event,
    event_id: d.eventId,
    status: d.status,
    attempts: d.attemptCount,
    response_code: d.lastStatusCode,
    last_error: d.lastError,
    replay_of: d.replayOf,
    created_at: d.createdAt,
    delivered_at: d.deliveredAt,
    next_attempt_at: d.nextAttemptAt,
    attempt_log: d.attempts.map((a) => ({
      attempt: a.attempt,
      requested_at: a.requestedAt,
      status_code: a.statusCode,
      duration_ms: a.durationMs,
      error: a.error,
    })),
  };
}

/** A key as listed: its first characters and an ellipsis, so a person can tell which one a system holds. */
export function keyView(c: CredentialOverview) {
  return {
    kind: c.kind,
    hint: `${c.display_prefix}…`,
    client_id: c.client_id,
    created_at: c.created_at,
    rotated_at: c.rotated_at,
  };
}

export function userView(u: User) {
  return {
    id: u.id,
    email: u.email,
    first_name: u.firstName,
    last_name: u.lastName,
    role: u.role,
    status: u.status,
    invitation_expires_at: u.invitationExpiresAt,
    created_at: u.createdAt,
  };
}
