import type { Tx } from '../transaction.js';
import type { EnqueuedJob, Queue } from '../../queue/queue.js';
import type { Transaction } from 'kysely';
import type { Db } from '../../store/db.js';
import type { Tables } from '../../store/tables.js';
import type { AttemptOutcomeRow, DeliveryState, NewDelivery, StoredDelivery, StoredEndpoint } from './webhooks.repo.js';
import { deliveryRecord, disableEndpoint, findEndpoint } from './webhooks.repo.js';
import type { DeliveryAttempt } from './webhook-records.js';
import type { DeliveryStatus } from './webhooks.schema.js';

/**
 * `webhook_deliveries` and `webhook_attempts`, and the endpoint counters an attempt moves. Writes
 * that must land together (a delivery and its first job; an attempt, its endpoint's counters and
 * the next job) go through `transaction`, whose `enqueueAttempt` queues inside it.
 */

type Dispatchable = EnqueuedJob & { dispatch(): Promise<void> };

/** Ends a delivery that will not be attempted again (its endpoint was disabled). */
async function markDead(db: Db, tenantId: string, id: string, error: string): Promise<void> {
  await db
    .updateTable('webhook_deliveries')
    .set({ status: 'dead', next_attempt_at: null, last_error: error })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .where('status', 'in', ['pending', 'failed'])
    .execute();
}

/**
 * Records one attempt and the delivery's new state, only if the delivery has made exactly
 * `attempt − 1` attempts so far (a re-run job cannot record the same attempt twice).
 */
async function recordAttempt(trx: Db, tenantId: string, a: AttemptOutcomeRow, state: DeliveryState): Promise<boolean> {
  const updated = await trx
    .updateTable('webhook_deliveries')
    .set({
      status: state.status,
      next_attempt_at: state.nextAttemptAt,
      last_status_code: state.lastStatusCode,
      last_error: state.lastError,
      delivered_at: state.deliveredAt,
      attempts: a.attempt,
    })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', a.deliveryId)
    .where('attempts', '=', a.attempt - 1)
    .where('status', 'in', ['pending', 'failed'])
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) !== 1) return false;
  await trx
    .insertInto('webhook_attempts')
    .values({
      id: a.id,
      tenant_id: tenantId,
      delivery_id: a.deliveryId,
      attempt: a.attempt,
      requested_at: a.requestedAt,
      duration_ms: a.durationMs,
      status_code: a.statusCode,
      response_body: a.responseBody,
      error: a.error,
    })
    .execute();
  return true;
}

/** An attempt failed: starts the failing window if none is open, and counts the delivery when it ended dead. */
async function markEndpointFailing(
  trx: Db,
  tenantId: string,
  id: string,
  opts: { deliveryDead: boolean; at: string },
): Promise<StoredEndpoint | undefined> {
  await trx
    .updateTable('webhook_endpoints')
    .set((eb) => ({
      consecutive_failures: opts.deliveryDead ? eb('consecutive_failures', '+', 1) : eb.ref('consecutive_failures'),
      failing_since: eb.fn.coalesce('failing_since', eb.val(opts.at)),
      updated_at: opts.at,
    }))
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .execute();
  return findEndpoint(trx, tenantId, id);
}

function writes(trx: Transaction<Tables>, queue: Queue) {
  return {
    recordAttempt: (tenantId: string, a: AttemptOutcomeRow, state: DeliveryState) =>
      recordAttempt(trx, tenantId, a, state),
    markEndpointFailing: (tenantId: string, id: string, opts: { deliveryDead: boolean; at: string }) =>
      markEndpointFailing(trx, tenantId, id, opts),
    async insert(tenantId: string, d: NewDelivery, firstAttemptAt: string): Promise<void> {
      await trx
        .insertInto('webhook_deliveries')
        .values({
          id: d.id,
          tenant_id: tenantId,
          endpoint_id: d.webhookId,
          event_id: d.eventId,
          event_type: d.event,
          payload: d.body,
          status: 'pending',
          attempts: 0,
          next_attempt_at: firstAttemptAt,
          last_status_code: null,
          last_error: null,
          replay_of: d.replayOf,
          created_at: d.createdAt,
          delivered_at: null,
        })
        .execute();
    },

    /** Queues attempt `attempt` of a delivery in this transaction; dispatch after the commit. */
    enqueueAttempt(tenantId: string, deliveryId: string, attempt: number, delayMs?: number): Promise<Dispatchable> {
      return queue.enqueueInTransaction(
        trx,
        'webhook.deliver',
        { tenantId, deliveryId, attempt },
        { tenantId, dedupeKey: `webhook.deliver:${deliveryId}:${attempt}`, ...(delayMs ? { delayMs } : {}) },
      );
    },

    /** Ends a delivery that will not be attempted again (its endpoint was disabled). */
    markDead: (tenantId: string, id: string, error: string) => markDead(trx, tenantId, id, error),

    /** A delivery succeeded: the endpoint is healthy again. */
    async markEndpointHealthy(tenantId: string, id: string, at: string): Promise<void> {
      await trx
        .updateTable('webhook_endpoints')
        .set({ consecutive_failures: 0, failing_since: null, updated_at: at })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .where((eb) => eb.or([eb('consecutive_failures', '>', 0), eb('failing_since', 'is not', null)]))
        .execute();
    },

    /** Disables an active endpoint; false when it was already disabled (or is gone). */
    disableEndpoint: (tenantId: string, id: string, reason: string, at: string) =>
      disableEndpoint(trx, tenantId, id, reason, at),
  };
}

export type DeliveryWrites = ReturnType<typeof writes>;
export type DeliveriesRepo = ReturnType<typeof createDeliveriesRepo>;

export function createDeliveriesRepo(db: Db, queue: Queue) {
  return {
    /** Runs `fn` in one transaction: its writes and queued jobs commit together. */
    transaction: <T>(fn: (tx: DeliveryWrites) => Promise<T>): Promise<T> =>
      db.transaction().execute((trx) => fn(writes(trx, queue))),
    /** The writes inside a caller's transaction (an outbox): they commit, or roll back, with it. */
    within: (tx: Tx): DeliveryWrites => writes(tx, queue),

    /** Outside a transaction: a delivery whose endpoint was found disabled. */
    markDead: (tenantId: string, id: string, error: string) => markDead(db, tenantId, id, error),

    async find(tenantId: string, id: string): Promise<StoredDelivery | undefined> {
      const row = await db
        .selectFrom('webhook_deliveries')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .executeTakeFirst();
      return row && deliveryRecord(row);
    },

    /** Newest first; `before` is a delivery id (ids sort by creation time). */
    async list(
      tenantId: string,
      endpointId: string,
      opts: { limit: number; status?: DeliveryStatus | undefined; before?: string | undefined },
    ): Promise<StoredDelivery[]> {
      let q = db
        .selectFrom('webhook_deliveries')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('endpoint_id', '=', endpointId);
      if (opts.status) q = q.where('status', '=', opts.status);
      if (opts.before) q = q.where('id', '<', opts.before);
      return (await q.orderBy('id', 'desc').limit(opts.limit).execute()).map(deliveryRecord);
    },

    async listAttempts(
      tenantId: string,
      deliveryIds: readonly string[],
    ): Promise<(DeliveryAttempt & { deliveryId: string })[]> {
      if (deliveryIds.length === 0) return [];
      const rows = await db
        .selectFrom('webhook_attempts')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('delivery_id', 'in', deliveryIds)
        .orderBy('delivery_id')
        .orderBy('attempt')
        .execute();
      return rows.map((a) => ({
        deliveryId: a.delivery_id,
        attempt: a.attempt,
        requestedAt: a.requested_at,
        durationMs: a.duration_ms,
        statusCode: a.status_code,
        responseBody: a.response_body,
        error: a.error,
      }));
    },
  };
}
