import type { Selectable, Updateable } from 'kysely';
import type { Db } from '../../store/db.js';
import type { WebhookAttemptsTable, WebhookDeliveriesTable, WebhookEndpointsTable } from '../../store/tables.js';

/** All SQL for outbound webhooks. Every function takes the tenant first and filters by it. */

export type EndpointRow = Selectable<WebhookEndpointsTable>;
export type DeliveryRow = Selectable<WebhookDeliveriesTable>;
export type AttemptRow = Selectable<WebhookAttemptsTable>;

export async function insertEndpoint(db: Db, tenantId: string, row: Omit<EndpointRow, 'tenant_id'>): Promise<void> {
  await db
    .insertInto('webhook_endpoints')
    .values({ ...row, tenant_id: tenantId })
    .execute();
}

export async function countEndpoints(db: Db, tenantId: string): Promise<number> {
  const row = await db
    .selectFrom('webhook_endpoints')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('tenant_id', '=', tenantId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function listEndpoints(db: Db, tenantId: string, status?: string): Promise<EndpointRow[]> {
  let q = db.selectFrom('webhook_endpoints').selectAll().where('tenant_id', '=', tenantId);
  if (status) q = q.where('status', '=', status);
  return q.orderBy('id').execute();
}

export async function findEndpoint(db: Db, tenantId: string, id: string): Promise<EndpointRow | undefined> {
  return db
    .selectFrom('webhook_endpoints')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** Deletes the endpoint; its deliveries and attempts cascade. */
export async function deleteEndpoint(db: Db, tenantId: string, id: string): Promise<boolean> {
  const result = await db
    .deleteFrom('webhook_endpoints')
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}

export async function updateEndpoint(
  db: Db,
  tenantId: string,
  id: string,
  patch: Updateable<WebhookEndpointsTable>,
): Promise<void> {
  await db.updateTable('webhook_endpoints').set(patch).where('tenant_id', '=', tenantId).where('id', '=', id).execute();
}

/** A delivery succeeded: the endpoint is healthy again. */
export async function markEndpointHealthy(db: Db, tenantId: string, id: string, now: string): Promise<void> {
  await db
    .updateTable('webhook_endpoints')
    .set({ consecutive_failures: 0, failing_since: null, updated_at: now })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .where((eb) => eb.or([eb('consecutive_failures', '>', 0), eb('failing_since', 'is not', null)]))
    .execute();
}

/** An attempt failed: starts the failing window if none is open, and counts the delivery when it ended dead. */
export async function markEndpointFailing(
  db: Db,
  tenantId: string,
  id: string,
  opts: { deliveryDead: boolean; now: string },
): Promise<EndpointRow | undefined> {
  await db
    .updateTable('webhook_endpoints')
    .set((eb) => ({
      consecutive_failures: opts.deliveryDead ? eb('consecutive_failures', '+', 1) : eb.ref('consecutive_failures'),
      failing_since: eb.fn.coalesce('failing_since', eb.val(opts.now)),
      updated_at: opts.now,
    }))
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .execute();
  return findEndpoint(db, tenantId, id);
}

/** Disables an active endpoint; false when it was already disabled (or is gone). */
export async function disableEndpoint(
  db: Db,
  tenantId: string,
  id: string,
  reason: string,
  now: string,
): Promise<boolean> {
  const result = await db
    .updateTable('webhook_endpoints')
    .set({ status: 'disabled', disabled_at: now, disabled_reason: reason, updated_at: now })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .where('status', '=', 'active')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function insertDelivery(db: Db, tenantId: string, row: Omit<DeliveryRow, 'tenant_id'>): Promise<void> {
  await db
    .insertInto('webhook_deliveries')
    .values({ ...row, tenant_id: tenantId })
    .execute();
}

export async function findDelivery(db: Db, tenantId: string, id: string): Promise<DeliveryRow | undefined> {
  return db
    .selectFrom('webhook_deliveries')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** Newest first; `before` is a delivery id (ids sort by creation time). */
export async function listDeliveries(
  db: Db,
  tenantId: string,
  endpointId: string,
  opts: { limit: number; status?: string; before?: string },
): Promise<DeliveryRow[]> {
  let q = db
    .selectFrom('webhook_deliveries')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('endpoint_id', '=', endpointId);
  if (opts.status) q = q.where('status', '=', opts.status);
  if (opts.before) q = q.where('id', '<', opts.before);
  return q.orderBy('id', 'desc').limit(opts.limit).execute();
}

export async function listAttempts(db: Db, tenantId: string, deliveryIds: readonly string[]): Promise<AttemptRow[]> {
  if (deliveryIds.length === 0) return [];
  return db
    .selectFrom('webhook_attempts')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('delivery_id', 'in', deliveryIds)
    .orderBy('delivery_id')
    .orderBy('attempt')
    .execute();
}

/**
 * Records one attempt and the delivery's new state, only if the delivery has made exactly
 * `attempt − 1` attempts so far (a re-run job cannot record the same attempt twice).
 * Call inside a transaction.
 */
export async function recordAttempt(
  db: Db,
  tenantId: string,
  attempt: Omit<AttemptRow, 'tenant_id'>,
  delivery: Pick<DeliveryRow, 'status' | 'next_attempt_at' | 'last_status_code' | 'last_error' | 'delivered_at'>,
): Promise<boolean> {
  const updated = await db
    .updateTable('webhook_deliveries')
    .set({ ...delivery, attempts: attempt.attempt })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', attempt.delivery_id)
    .where('attempts', '=', attempt.attempt - 1)
    .where('status', 'in', ['pending', 'failed'])
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) !== 1) return false;
  await db
    .insertInto('webhook_attempts')
    .values({ ...attempt, tenant_id: tenantId })
    .execute();
  return true;
}

/** Ends a delivery that will not be attempted again (its endpoint was disabled). */
export async function markDeliveryDead(db: Db, tenantId: string, id: string, error: string): Promise<void> {
  await db
    .updateTable('webhook_deliveries')
    .set({ status: 'dead', next_attempt_at: null, last_error: error })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .where('status', 'in', ['pending', 'failed'])
    .execute();
}

export async function findCallbackSecret(
  db: Db,
  tenantId: string,
): Promise<{ sealed_secret: string; created_at: string } | undefined> {
  return db
    .selectFrom('webhook_callback_secrets')
    .select(['sealed_secret', 'created_at'])
    .where('tenant_id', '=', tenantId)
    .executeTakeFirst();
}

/** Stores the tenant's callback secret; `replace` false keeps one another process stored first. */
export async function saveCallbackSecret(
  db: Db,
  tenantId: string,
  sealed: string,
  now: string,
  replace: boolean,
): Promise<void> {
  await db
    .insertInto('webhook_callback_secrets')
    .values({ tenant_id: tenantId, sealed_secret: sealed, created_at: now })
    .onConflict((oc) =>
      replace
        ? oc.column('tenant_id').doUpdateSet({ sealed_secret: sealed, created_at: now })
        : oc.column('tenant_id').doNothing(),
    )
    .execute();
}
