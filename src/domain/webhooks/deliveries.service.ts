import type { Clock } from '../../lib/clock.js';
import type { OwnerAlerts } from '../notifications/index.js';
import { newId } from '../../lib/ids.js';
import type { SecretBox } from '../../lib/secrets.js';
import type { EnqueuedJob } from '../../queue/queue.js';
import { AppError, notFound } from '../errors.js';
import type { Tx } from '../transaction.js';
import type { DeliveriesRepo, DeliveryWrites } from './deliveries.repo.js';
import { classifyAttempt, disableReason, type AttemptOutcome, type WebhookTuning } from './delivery-policy.js';
import { buildPayload } from './callbacks.service.js';
import { loadEndpoint } from './endpoints.service.js';
import { signedPost, type PostPorts, type Sent } from './signed-post.js';
import type { Delivery, DeliveryAttempt, EmittedEvent } from './webhook-records.js';
import type { EndpointsRepo, NewDelivery, StoredDelivery } from './webhooks.repo.js';
import type { DeliveriesQuery, DeliveryStatus, WebhookEvent } from './webhooks.schema.js';

/** Fanning events out to endpoints, each attempt of a delivery, its history and replays. */

export interface DeliveryPorts extends PostPorts {
  clock: Clock;
  box: SecretBox;
  tuning: WebhookTuning;
  endpoints: EndpointsRepo;
  deliveries: DeliveriesRepo;
  ownerAlerts?: Pick<OwnerAlerts, 'raise'> | undefined;
}

type Dispatchable = EnqueuedJob & { dispatch(): Promise<void> };

const withAttempts = (d: StoredDelivery, attempts: DeliveryAttempt[]): Delivery => {
  const { body: _body, ...rest } = d;
  return { ...rest, attempts };
};

function newDelivery(
  clock: Clock,
  of: { webhookId: string; eventId: string; event: string; body: string; replayOf: string | null },
): NewDelivery {
  const now = clock.now();
  return { id: newId('dlv', now.getTime()), ...of, createdAt: now.toISOString() };
}

/** New deliveries and their first attempts, committed together. */
async function enqueueDeliveries(ports: DeliveryPorts, tenantId: string, rows: NewDelivery[]): Promise<void> {
  const jobs = await ports.deliveries.transaction(async (tx) => {
    const queued: Dispatchable[] = [];
    for (const row of rows) {
      await tx.insert(tenantId, row, row.createdAt);
      queued.push(await tx.enqueueAttempt(tenantId, row.id, 1));
    }
    return queued;
  });
  for (const job of jobs) await job.dispatch();
}

export async function emit(
  ports: DeliveryPorts,
  tenantId: string,
  event: WebhookEvent,
  data: Record<string, unknown>,
  options: { eventId?: string; occurredAt?: Date } = {},
): Promise<EmittedEvent> {
  const eventId = options.eventId ?? newId('evt');
  const body = buildPayload(event, data, options.occurredAt ?? ports.clock.now());
  const endpoints = (await ports.endpoints.list(tenantId, 'active')).filter((e) =>
    (e.events as string[]).includes(event),
  );
  if (endpoints.length === 0) return { eventId, deliveryIds: [] };
  const rows = endpoints.map((e) =>
    newDelivery(ports.clock, { webhookId: e.id, eventId, event, body, replayOf: null }),
  );
  await enqueueDeliveries(ports, tenantId, rows);
  return { eventId, deliveryIds: rows.map((r) => r.id) };
}

/** `emit` inside the caller's transaction: the deliveries and their first attempts commit with it; `dispatch` after. */
export async function emitIn(
  ports: DeliveryPorts,
  tx: Tx,
  tenantId: string,
  event: WebhookEvent,
  data: Record<string, unknown>,
): Promise<EmittedEvent & { dispatch(): Promise<void> }> {
  const eventId = newId('evt');
  const body = buildPayload(event, data, ports.clock.now());
  const endpoints = (await ports.endpoints.within(tx).list(tenantId, 'active')).filter((e) =>
    (e.events as string[]).includes(event),
  );
  const rows = endpoints.map((e) =>
    newDelivery(ports.clock, { webhookId: e.id, eventId, event, body, replayOf: null }),
  );
  const writes = ports.deliveries.within(tx);
  const jobs: Dispatchable[] = [];
  for (const row of rows) {
    await writes.insert(tenantId, row, row.createdAt);
    jobs.push(await writes.enqueueAttempt(tenantId, row.id, 1));
  }
  return {
    eventId,
    deliveryIds: rows.map((r) => r.id),
    dispatch: async () => {
      for (const job of jobs) await job.dispatch();
    },
  };
}

export async function listDeliveries(
  ports: DeliveryPorts,
  tenantId: string,
  webhookId: string,
  query: DeliveriesQuery,
) {
  await loadEndpoint(ports, tenantId, webhookId);
  const rows = await ports.deliveries.list(tenantId, webhookId, {
    limit: query.limit + 1,
    status: query.status,
    before: query.before,
  });
  const page = rows.slice(0, query.limit);
  const attempts = await ports.deliveries.listAttempts(
    tenantId,
    page.map((r) => r.id),
  );
  return {
    deliveries: page.map((r) =>
      withAttempts(
        r,
        attempts.filter((a) => a.deliveryId === r.id).map(({ deliveryId: _id, ...a }) => a),
      ),
    ),
    hasMore: rows.length > query.limit,
  };
}

export async function replay(ports: DeliveryPorts, tenantId: string, webhookId: string, deliveryId: string) {
  const endpoint = await loadEndpoint(ports, tenantId, webhookId);
  const original = await ports.deliveries.find(tenantId, deliveryId);
  if (!original || original.webhookId !== endpoint.id) throw notFound('delivery', deliveryId);
  if (endpoint.status !== 'active') {
    throw new AppError('CONFLICT', `Webhook '${webhookId}' is disabled; enable it before replaying deliveries`, {
      details: { webhook_status: endpoint.status },
    });
  }
  const { eventId, event, body } = original;
  const row = newDelivery(ports.clock, { webhookId: endpoint.id, eventId, event, body, replayOf: original.id });
  await enqueueDeliveries(ports, tenantId, [row]);
  return withAttempts(
    {
      ...row,
      status: 'pending',
      attemptCount: 0,
      nextAttemptAt: row.createdAt,
      lastStatusCode: null,
      lastError: null,
      deliveredAt: null,
      payload: original.payload,
    },
    [],
  );
}

/** Counts a failed attempt against its endpoint; returns the reason when this failure disabled it. */
async function countFailure(
  ports: DeliveryPorts,
  tx: DeliveryWrites,
  tenantId: string,
  endpointId: string,
  outcome: AttemptOutcome,
  now: Date,
): Promise<string | undefined> {
  const at = now.toISOString();
  const endpoint = await tx.markEndpointFailing(tenantId, endpointId, { deliveryDead: outcome.kind === 'dead', at });
  if (!endpoint || endpoint.status !== 'active') return undefined;
  const reason =
    (outcome.kind === 'dead' ? outcome.disable : undefined) ??
    disableReason(
      { consecutive_failures: endpoint.consecutiveFailures, failing_since: endpoint.failingSince },
      ports.tuning,
      now,
    );
  if (reason && (await tx.disableEndpoint(tenantId, endpointId, reason, at))) return reason;
  return undefined;
}

interface Attempted {
  delivery: StoredDelivery;
  endpointId: string;
  endpointUrl: string;
  attempt: number;
  sent: Sent;
  outcome: AttemptOutcome;
  now: Date;
}

/** Records an attempt with its endpoint's counters and the next attempt's job, in one transaction. */
async function recordAttempt(ports: DeliveryPorts, tenantId: string, a: Attempted) {
  const { sent, outcome, now, attempt } = a;
  let status: DeliveryStatus =
    outcome.kind === 'delivered' ? 'delivered' : outcome.kind === 'retry' ? 'failed' : 'dead';
  const nextAt = outcome.kind === 'retry' ? new Date(now.getTime() + outcome.delayMs).toISOString() : null;
  const lastError = sent.error ?? (status === 'delivered' ? null : `receiver answered ${sent.statusCode ?? 'nothing'}`);
  let next: Dispatchable | undefined;
  let disabledFor: string | undefined;
  const recorded = await ports.deliveries.transaction(async (tx) => {
    const row = { id: newId('watt', now.getTime()), deliveryId: a.delivery.id, attempt, ...sent };
    const state = {
      status,
      nextAttemptAt: nextAt,
      lastStatusCode: sent.statusCode,
      lastError,
      deliveredAt: status === 'delivered' ? now.toISOString() : null,
    };
    if (!(await tx.recordAttempt(tenantId, row, state))) return false;
    if (outcome.kind === 'delivered') {
      await tx.markEndpointHealthy(tenantId, a.endpointId, now.toISOString());
      return true;
    }
    // In the same transaction as the attempt, so the next attempt can never run before a disable lands.
    const disabled = await countFailure(ports, tx, tenantId, a.endpointId, outcome, now);
    disabledFor = disabled;
    if (disabled && outcome.kind === 'retry') {
      await tx.markDead(tenantId, a.delivery.id, `not attempted further: the webhook was disabled (${disabled})`);
      status = 'dead';
    } else if (outcome.kind === 'retry') {
      next = await tx.enqueueAttempt(tenantId, a.delivery.id, attempt + 1, outcome.delayMs);
    }
    return true;
  });
  if (!recorded) return { status: 'skipped' as const };
  await next?.dispatch();
  if (disabledFor)
    await ports.ownerAlerts?.raise(tenantId, {
      kind: 'webhook_disabled',
      endpointId: a.endpointId,
      url: a.endpointUrl,
      reason: disabledFor,
    });
  return { status };
}

export async function attemptDelivery(
  ports: DeliveryPorts,
  tenantId: string,
  deliveryId: string,
  attempt: number,
  signal?: AbortSignal,
): Promise<{ status: DeliveryStatus | 'skipped' }> {
  const delivery = await ports.deliveries.find(tenantId, deliveryId);
  // Gone with its endpoint, already finished, or this attempt already made by an earlier run of the job.
  if (!delivery || (delivery.status !== 'pending' && delivery.status !== 'failed') || delivery.attemptCount >= attempt)
    return { status: 'skipped' };
  const endpoint = await ports.endpoints.find(tenantId, delivery.webhookId);
  if (!endpoint) return { status: 'skipped' };
  if (endpoint.status !== 'active') {
    await ports.deliveries.markDead(tenantId, deliveryId, 'not attempted: the webhook is disabled');
    return { status: 'dead' };
  }
  const target = { url: endpoint.url, secret: ports.box.open(endpoint.sealedSecret), eventId: delivery.eventId };
  const sent = await signedPost(ports, { ...target, body: delivery.body }, signal);
  const now = ports.clock.now();
  const outcome = classifyAttempt(sent, attempt, ports.tuning, now);
  return recordAttempt(ports, tenantId, {
    delivery,
    endpointId: endpoint.id,
    endpointUrl: endpoint.url,
    attempt,
    sent,
    outcome,
    now,
  });
}
