import type { Clock } from '../../lib/clock.js';
import { newId } from '../../lib/ids.js';
import type { SecretBox } from '../../lib/secrets.js';
import { HttpRequestError, UrlRefusedError, type SafeHttp } from '../../providers/http/safe-fetch.js';
import type { EnqueuedJob, Queue } from '../../queue/queue.js';
import type { Transaction } from 'kysely';
import type { Db } from '../../store/db.js';
import type { Tables } from '../../store/tables.js';
import { fromJson, toJson } from '../../store/json.js';
import { AppError, invalid, notFound } from '../errors.js';
import {
  classifyAttempt,
  DEFAULT_TUNING,
  disableReason,
  type AttemptOutcome,
  type WebhookTuning,
} from './delivery-policy.js';
import { generateSecret, signatureHeaders } from './signing.js';
import * as repo from './webhooks.repo.js';
import {
  isWebhookEvent,
  subscribeSchema,
  type DeliveriesQuery,
  type DeliveryStatus,
  type EndpointStatus,
  type SubscribeInput,
  type WebhookEvent,
} from './webhooks.schema.js';

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

export interface WebhooksService {
  /** Registers an endpoint after checking its URL (SSRF rules); returns the signing secret this once. */
  subscribe(tenantId: string, input: SubscribeInput): Promise<CreatedWebhook>;
  /** The tenant's endpoints, oldest first; secrets never included. */
  list(tenantId: string): Promise<Webhook[]>;
  get(tenantId: string, webhookId: string): Promise<Webhook>;
  /** Deletes an endpoint with its deliveries and attempts; pending retries stop. */
  remove(tenantId: string, webhookId: string): Promise<void>;
  /** Re-activates a disabled endpoint and clears its failure counters. */
  enable(tenantId: string, webhookId: string): Promise<Webhook>;
  /** Records one delivery per active endpoint subscribed to `event` and queues its first attempt; resolves once they are durable. */
  emit(
    tenantId: string,
    event: WebhookEvent,
    data: Record<string, unknown>,
    options?: { eventId?: string; occurredAt?: Date },
  ): Promise<EmittedEvent>;
  /** `emit` inside the caller's transaction: the deliveries and their jobs commit with it; `dispatch` after the commit. */
  emitIn(
    trx: Transaction<Tables>,
    tenantId: string,
    event: WebhookEvent,
    data: Record<string, unknown>,
  ): Promise<EmittedEvent & { dispatch(): Promise<void> }>;
  /** An endpoint's deliveries, newest first, each with its attempts. */
  listDeliveries(
    tenantId: string,
    webhookId: string,
    query: DeliveriesQuery,
  ): Promise<{ deliveries: Delivery[]; hasMore: boolean }>;
  /** Sends a delivery again as a new delivery: same event id and body, a fresh attempt series. */
  replay(tenantId: string, webhookId: string, deliveryId: string): Promise<Delivery>;
  /** The job step of `webhook.deliver`: makes one attempt, records it, and schedules the next or ends the delivery. */
  attemptDelivery(
    tenantId: string,
    deliveryId: string,
    attempt: number,
    signal?: AbortSignal,
  ): Promise<{ status: DeliveryStatus | 'skipped' }>;
  /** One signed POST of an event to a one-off URL, now, with the tenant's callback secret; not recorded, not retried. */
  deliverOnce(
    tenantId: string,
    url: string,
    event: WebhookEvent,
    data: Record<string, unknown>,
  ): Promise<CallbackResult>;
  /** Queues a signed event to a one-off URL (a batch's `webhook_url`), retried by the queue until delivered. */
  sendCallback(tenantId: string, url: string, event: WebhookEvent, data: Record<string, unknown>): Promise<void>;
  /** The job step of `webhook.callback`: one signed POST of an exact body. */
  deliverCallback(
    tenantId: string,
    url: string,
    eventId: string,
    body: string,
    signal?: AbortSignal,
  ): Promise<CallbackResult>;
  /** Replaces the tenant's callback signing secret; the new one is returned this once. */
  rotateCallbackSecret(tenantId: string): Promise<{ secret: string; createdAt: string }>;
  /** Throws a VALIDATION error naming `field` when a URL may not be called (scheme, credentials, private address). */
  validateUrl(url: string, field?: string): Promise<void>;
}

export interface WebhooksDeps {
  db: Db;
  box: SecretBox;
  clock: Clock;
  queue: Queue;
  http: SafeHttp;
  tuning?: Partial<WebhookTuning>;
}

const USER_AGENT = 'Frontdesk-Webhooks/1';

/** What one POST produced, for the attempt log. */
interface Sent {
  requestedAt: string;
  durationMs: number;
  statusCode: number | null;
  responseBody: string | null;
  retryAfter: string | undefined;
  error: string | null;
  refused: boolean;
}

export function createWebhooksService(deps: WebhooksDeps): WebhooksService {
  const tuning: WebhookTuning = { ...DEFAULT_TUNING, ...deps.tuning };
  const { db, box, clock, queue } = deps;
  const nowIso = (): string => clock.now().toISOString();

  const toWebhook = (row: repo.EndpointRow): Webhook => ({
    id: row.id,
    url: row.url,
    events: fromJson<WebhookEvent[]>(row.events, []),
    status: row.status as EndpointStatus,
    consecutiveFailures: row.consecutive_failures,
    failingSince: row.failing_since,
    disabledAt: row.disabled_at,
    disabledReason: row.disabled_reason,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  });

  const toDelivery = (row: repo.DeliveryRow, attempts: repo.AttemptRow[]): Delivery => ({
    id: row.id,
    webhookId: row.endpoint_id,
    eventId: row.event_id,
    event: row.event_type,
    status: row.status as DeliveryStatus,
    attemptCount: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    lastStatusCode: row.last_status_code,
    lastError: row.last_error,
    replayOf: row.replay_of,
    createdAt: row.created_at,
    deliveredAt: row.delivered_at,
    payload: fromJson<unknown>(row.payload, null),
    attempts: attempts.map((a) => ({
      attempt: a.attempt,
      requestedAt: a.requested_at,
      durationMs: a.duration_ms,
      statusCode: a.status_code,
      responseBody: a.response_body,
      error: a.error,
    })),
  });

  const loadEndpoint = async (tenantId: string, webhookId: string): Promise<repo.EndpointRow> => {
    const row = await repo.findEndpoint(db, tenantId, webhookId);
    if (!row) throw notFound('webhook', webhookId);
    return row;
  };

  const buildPayload = (event: WebhookEvent, data: Record<string, unknown>, occurredAt: Date): string => {
    if (!isWebhookEvent(event)) throw new Error(`unknown webhook event '${String(event)}': add it to WEBHOOK_EVENTS`);
    return JSON.stringify({ event, timestamp: occurredAt.toISOString(), data });
  };

  /** New deliveries and their first attempts in `trx`; the jobs are dispatched once it committed. */
  const insertDeliveries = async (
    trx: Transaction<Tables>,
    tenantId: string,
    rows: Omit<repo.DeliveryRow, 'tenant_id'>[],
  ): Promise<(EnqueuedJob & { dispatch(): Promise<void> })[]> => {
    const jobs: (EnqueuedJob & { dispatch(): Promise<void> })[] = [];
    for (const row of rows) {
      await repo.insertDelivery(trx, tenantId, row);
      jobs.push(
        await queue.enqueueInTransaction(
          trx,
          'webhook.deliver',
          { tenantId, deliveryId: row.id, attempt: 1 },
          { tenantId, dedupeKey: `webhook.deliver:${row.id}:1` },
        ),
      );
    }
    return jobs;
  };

  /** New deliveries and their first attempts, committed together. */
  const enqueueDeliveries = async (tenantId: string, rows: Omit<repo.DeliveryRow, 'tenant_id'>[]): Promise<void> => {
    const jobs = await db.transaction().execute((trx) => insertDeliveries(trx, tenantId, rows));
    for (const job of jobs) await job.dispatch();
  };

  const newDelivery = (
    endpointId: string,
    eventId: string,
    eventType: string,
    payload: string,
    replayOf: string | null,
  ): Omit<repo.DeliveryRow, 'tenant_id'> => {
    const now = clock.now();
    return {
      id: newId('dlv', now.getTime()),
      endpoint_id: endpointId,
      event_id: eventId,
      event_type: eventType,
      payload,
      status: 'pending',
      attempts: 0,
      next_attempt_at: now.toISOString(),
      last_status_code: null,
      last_error: null,
      replay_of: replayOf,
      created_at: now.toISOString(),
      delivered_at: null,
    };
  };

  /** One signed POST; never throws for what the receiver or the network did, only on shutdown. */
  const post = async (
    url: string,
    secret: string,
    eventId: string,
    body: string,
    signal?: AbortSignal,
  ): Promise<Sent> => {
    const requested = clock.now();
    const started = performance.now();
    const headers = {
      'content-type': 'application/json',
      'user-agent': USER_AGENT,
      ...signatureHeaders(secret, eventId, Math.floor(requested.getTime() / 1000), body),
    };
    const base = {
      requestedAt: requested.toISOString(),
      retryAfter: undefined,
      responseBody: null,
      statusCode: null,
      refused: false,
    };
    const elapsed = (): number => Math.round(performance.now() - started);
    try {
      const response = await deps.http.request(url, {
        method: 'POST',
        headers,
        body,
        timeoutMs: tuning.timeoutMs,
        maxResponseBytes: tuning.maxResponseBytes,
        signal,
      });
      return {
        ...base,
        durationMs: elapsed(),
        statusCode: response.status,
        // PostgreSQL text cannot hold NUL; the excerpt is for people to read anyway.
        responseBody: response.body.toString('utf8').replaceAll('\u0000', ''),
        retryAfter: response.headers['retry-after'],
        error: null,
      };
    } catch (error) {
      if (error instanceof HttpRequestError && error.kind === 'aborted') throw error;
      // An unresolvable host may be a DNS hiccup; a private address is a decision, not a fault.
      const refused = error instanceof UrlRefusedError && error.reason !== 'unresolvable';
      const message = error instanceof Error ? error.message : String(error);
      return { ...base, durationMs: elapsed(), refused, error: refused ? `refused: URL ${message}` : message };
    }
  };

  /** Counts a failed attempt against its endpoint; returns the reason when this failure disabled it. */
  const countFailure = async (
    trx: Db,
    tenantId: string,
    endpointId: string,
    outcome: AttemptOutcome,
    now: Date,
  ): Promise<string | undefined> => {
    const endpoint = await repo.markEndpointFailing(trx, tenantId, endpointId, {
      deliveryDead: outcome.kind === 'dead',
      now: now.toISOString(),
    });
    if (!endpoint || endpoint.status !== 'active') return undefined;
    const reason = (outcome.kind === 'dead' ? outcome.disable : undefined) ?? disableReason(endpoint, tuning, now);
    if (reason && (await repo.disableEndpoint(trx, tenantId, endpointId, reason, now.toISOString()))) return reason;
    return undefined;
  };

  const callbackSecret = async (tenantId: string): Promise<string> => {
    let row = await repo.findCallbackSecret(db, tenantId);
    if (!row) {
      await repo.saveCallbackSecret(db, tenantId, box.seal(generateSecret()), nowIso(), false);
      row = await repo.findCallbackSecret(db, tenantId);
    }
    if (!row) throw new Error(`could not store a callback secret for tenant ${tenantId}`);
    return box.open(row.sealed_secret);
  };

  const validateUrl = async (url: string, field = 'url'): Promise<void> => {
    try {
      await deps.http.check(url);
    } catch (error) {
      if (error instanceof UrlRefusedError)
        throw invalid([{ field, issue: error.message, type: error.reason }], `${field} ${error.message}`);
      throw error;
    }
  };

  const deliverCallback = async (
    tenantId: string,
    url: string,
    eventId: string,
    body: string,
    signal?: AbortSignal,
  ): Promise<CallbackResult> => {
    const sent = await post(url, await callbackSecret(tenantId), eventId, body, signal);
    const outcome = classifyAttempt(sent, 1, { ...tuning, retryScheduleMs: [0] }, clock.now());
    const failure =
      sent.error ?? (outcome.kind === 'delivered' ? null : `receiver answered ${sent.statusCode ?? 'nothing'}`);
    return {
      delivered: outcome.kind === 'delivered',
      statusCode: sent.statusCode,
      error: failure,
      retryable: outcome.kind === 'retry',
      durationMs: sent.durationMs,
    };
  };

  return {
    async subscribe(tenantId, raw) {
      const parsed = subscribeSchema.safeParse(raw);
      if (!parsed.success) {
        throw invalid(
          parsed.error.issues.map((i) => ({
            field: i.path.map(String).join('.') || 'body',
            issue: i.message,
            type: i.code,
          })),
        );
      }
      const input = parsed.data;
      await validateUrl(input.url);
      if ((await repo.countEndpoints(db, tenantId)) >= tuning.maxEndpointsPerTenant) {
        throw new AppError(
          'CONFLICT',
          `A tenant may register at most ${tuning.maxEndpointsPerTenant} webhooks; delete one first`,
          { details: { limit: tuning.maxEndpointsPerTenant } },
        );
      }
      const secret = input.secret ?? generateSecret();
      const now = clock.now();
      const row: Omit<repo.EndpointRow, 'tenant_id'> = {
        id: newId('whk', now.getTime()),
        url: input.url,
        events: toJson(input.events),
        sealed_secret: box.seal(secret),
        status: 'active',
        consecutive_failures: 0,
        failing_since: null,
        disabled_at: null,
        disabled_reason: null,
        created_at: now.toISOString(),
        updated_at: now.toISOString(),
      };
      await repo.insertEndpoint(db, tenantId, row);
      return { ...toWebhook({ ...row, tenant_id: tenantId }), secret };
    },

    async list(tenantId) {
      return (await repo.listEndpoints(db, tenantId)).map(toWebhook);
    },

    async get(tenantId, webhookId) {
      return toWebhook(await loadEndpoint(tenantId, webhookId));
    },

    async remove(tenantId, webhookId) {
      if (!(await repo.deleteEndpoint(db, tenantId, webhookId))) throw notFound('webhook', webhookId);
    },

    async enable(tenantId, webhookId) {
      await loadEndpoint(tenantId, webhookId);
      await repo.updateEndpoint(db, tenantId, webhookId, {
        status: 'active',
        consecutive_failures: 0,
        failing_since: null,
        disabled_at: null,
        disabled_reason: null,
        updated_at: nowIso(),
      });
      return toWebhook(await loadEndpoint(tenantId, webhookId));
    },

    async emit(tenantId, event, data, options = {}) {
      const eventId = options.eventId ?? newId('evt');
      const payload = buildPayload(event, data, options.occurredAt ?? clock.now());
      const endpoints = (await repo.listEndpoints(db, tenantId, 'active')).filter((e) =>
        fromJson<string[]>(e.events, []).includes(event),
      );
      if (endpoints.length === 0) return { eventId, deliveryIds: [] };
      const rows = endpoints.map((e) => newDelivery(e.id, eventId, event, payload, null));
      await enqueueDeliveries(tenantId, rows);
      return { eventId, deliveryIds: rows.map((r) => r.id) };
    },

    async emitIn(trx, tenantId, event, data) {
      const eventId = newId('evt');
      const payload = buildPayload(event, data, clock.now());
      const endpoints = (await repo.listEndpoints(trx, tenantId, 'active')).filter((e) =>
        fromJson<string[]>(e.events, []).includes(event),
      );
      const rows = endpoints.map((e) => newDelivery(e.id, eventId, event, payload, null));
      const jobs = await insertDeliveries(trx, tenantId, rows);
      return {
        eventId,
        deliveryIds: rows.map((r) => r.id),
        dispatch: async () => {
          for (const job of jobs) await job.dispatch();
        },
      };
    },

    async listDeliveries(tenantId, webhookId, query) {
      await loadEndpoint(tenantId, webhookId);
      const rows = await repo.listDeliveries(db, tenantId, webhookId, {
        limit: query.limit + 1,
        status: query.status,
        before: query.before,
      });
      const page = rows.slice(0, query.limit);
      const attempts = await repo.listAttempts(
        db,
        tenantId,
        page.map((r) => r.id),
      );
      return {
        deliveries: page.map((r) =>
          toDelivery(
            r,
            attempts.filter((a) => a.delivery_id === r.id),
          ),
        ),
        hasMore: rows.length > query.limit,
      };
    },

    async replay(tenantId, webhookId, deliveryId) {
      const endpoint = await loadEndpoint(tenantId, webhookId);
      const original = await repo.findDelivery(db, tenantId, deliveryId);
      if (!original || original.endpoint_id !== endpoint.id) throw notFound('delivery', deliveryId);
      if (endpoint.status !== 'active') {
        throw new AppError('CONFLICT', `Webhook '${webhookId}' is disabled; enable it before replaying deliveries`, {
          details: { webhook_status: endpoint.status },
        });
      }
      const row = newDelivery(endpoint.id, original.event_id, original.event_type, original.payload, original.id);
      await enqueueDeliveries(tenantId, [row]);
      return toDelivery({ ...row, tenant_id: tenantId }, []);
    },

    async attemptDelivery(tenantId, deliveryId, attempt, signal) {
      const delivery = await repo.findDelivery(db, tenantId, deliveryId);
      // Gone with its endpoint, already finished, or this attempt already made by an earlier run of the job.
      if (!delivery || (delivery.status !== 'pending' && delivery.status !== 'failed') || delivery.attempts >= attempt)
        return { status: 'skipped' };
      const endpoint = await repo.findEndpoint(db, tenantId, delivery.endpoint_id);
      if (!endpoint) return { status: 'skipped' };
      if (endpoint.status !== 'active') {
        await repo.markDeliveryDead(db, tenantId, deliveryId, 'not attempted: the webhook is disabled');
        return { status: 'dead' };
      }

      const sent = await post(
        endpoint.url,
        box.open(endpoint.sealed_secret),
        delivery.event_id,
        delivery.payload,
        signal,
      );
      const now = clock.now();
      const outcome = classifyAttempt(sent, attempt, tuning, now);
      let status: DeliveryStatus =
        outcome.kind === 'delivered' ? 'delivered' : outcome.kind === 'retry' ? 'failed' : 'dead';
      const nextAt = outcome.kind === 'retry' ? new Date(now.getTime() + outcome.delayMs).toISOString() : null;
      const lastError =
        sent.error ?? (status === 'delivered' ? null : `receiver answered ${sent.statusCode ?? 'nothing'}`);

      let next: (EnqueuedJob & { dispatch(): Promise<void> }) | undefined;
      const recorded = await db.transaction().execute(async (trx) => {
        const ok = await repo.recordAttempt(
          trx,
          tenantId,
          {
            id: newId('watt', now.getTime()),
            delivery_id: deliveryId,
            attempt,
            requested_at: sent.requestedAt,
            duration_ms: sent.durationMs,
            status_code: sent.statusCode,
            response_body: sent.responseBody,
            error: sent.error,
          },
          {
            status,
            next_attempt_at: nextAt,
            last_status_code: sent.statusCode,
            last_error: lastError,
            delivered_at: status === 'delivered' ? now.toISOString() : null,
          },
        );
        if (!ok) return false;
        if (outcome.kind === 'delivered') {
          await repo.markEndpointHealthy(trx, tenantId, endpoint.id, now.toISOString());
          return true;
        }
        // In the same transaction as the attempt, so the next attempt can never run before a disable lands.
        const disabled = await countFailure(trx, tenantId, endpoint.id, outcome, now);
        if (disabled && outcome.kind === 'retry') {
          await repo.markDeliveryDead(
            trx,
            tenantId,
            deliveryId,
            `not attempted further: the webhook was disabled (${disabled})`,
          );
          status = 'dead';
        } else if (outcome.kind === 'retry') {
          next = await queue.enqueueInTransaction(
            trx,
            'webhook.deliver',
            { tenantId, deliveryId, attempt: attempt + 1 },
            { tenantId, delayMs: outcome.delayMs, dedupeKey: `webhook.deliver:${deliveryId}:${attempt + 1}` },
          );
        }
        return true;
      });
      if (!recorded) return { status: 'skipped' };
      await next?.dispatch();
      return { status };
    },

    async deliverOnce(tenantId, url, event, data) {
      return deliverCallback(tenantId, url, newId('evt'), buildPayload(event, data, clock.now()));
    },

    async sendCallback(tenantId, url, event, data) {
      const eventId = newId('evt');
      await queue.enqueue(
        'webhook.callback',
        { tenantId, url, eventId, body: buildPayload(event, data, clock.now()) },
        { tenantId, dedupeKey: `webhook.callback:${eventId}` },
      );
    },

    deliverCallback,

    async rotateCallbackSecret(tenantId) {
      const secret = generateSecret();
      const createdAt = nowIso();
      await repo.saveCallbackSecret(db, tenantId, box.seal(secret), createdAt, true);
      return { secret, createdAt };
    },

    validateUrl,
  };
}
