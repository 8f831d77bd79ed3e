import type { DeliveryStatus, EndpointStatus, WebhookEvent } from './webhooks.schema.js';

/** The neutral records of outbound webhooks; surfaces shape them in their views.ts. */

export interface Webhook {
  id: string;
  url: string;
  events: WebhookEvent[];
  status: EndpointStatus;
  consecutiveFailures: number;
  failingSince: string | null;
  disabledAt: string | null;
  disabledReason: string | null;
  createdAt: string;
  updatedAt: string;
}

/** A new endpoint with its signing secret: the only time the secret is returned. */
export interface CreatedWebhook extends Webhook {
  secret: string;
}

export interface DeliveryAttempt {
  attempt: number;
  requestedAt: string;
  durationMs: number;
  statusCode: number | null;
  /** First 2 KB of the receiver's answer. */
  responseBody: string | null;
  error: string | null;
}

export interface Delivery {
  id: string;
  webhookId: string;
  eventId: string;
  event: string;
  status: DeliveryStatus;
  attemptCount: number;
  nextAttemptAt: string | null;
  lastStatusCode: number | null;
  lastError: string | null;
  replayOf: string | null;
  createdAt: string;
  deliveredAt: string | null;
  /** The body as sent (`{event, timestamp, data}`). */
  payload: unknown;
  attempts: DeliveryAttempt[];
}

export interface EmittedEvent {
  eventId: string;
  /** One per active endpoint subscribed to the event. */
  deliveryIds: string[];
}

/** The outcome of one signed POST to a callback URL. */
export interface CallbackResult {
  delivered: boolean;
  statusCode: number | null;
  error: string | null;
  /** False when trying again cannot help (a refused address, 410 Gone). */
  retryable: boolean;
  durationMs: number;
}
