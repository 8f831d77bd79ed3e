import type { Tx } from '../transaction.js';
import type { Selectable } from 'kysely';
import type { Db } from '../../store/db.js';
import { fromJson, toJson } from '../../store/json.js';
import type { WebhookDeliveriesTable, WebhookEndpointsTable } from '../../store/tables.js';
import type { Delivery, DeliveryAttempt, Webhook } from './webhook-records.js';
import type { DeliveryStatus, EndpointStatus, WebhookEvent } from './webhooks.schema.js';

/** Outbound webhooks' endpoints and callback secrets, rows mapped to records here. Every function takes the tenant first and filters by it. */

type EndpointRow = Selectable<WebhookEndpointsTable>;
type DeliveryRow = Selectable<WebhookDeliveriesTable>;

/** An endpoint with its sealed secret, which never leaves the webhooks concept. */
export interface StoredEndpoint extends Webhook {
  sealedSecret: string;
}

/** A delivery without its attempts, with `body`: the exact JSON text that is signed and sent. */
export interface StoredDelivery extends Omit<Delivery, 'attempts'> {
  body: string;
}

export type NewDelivery = Pick<StoredDelivery, 'id' | 'webhookId' | 'eventId' | 'event' | 'body' | 'replayOf'> & {
  createdAt: string;
};

export interface AttemptOutcomeRow extends DeliveryAttempt {
  id: string;
  deliveryId: string;
}

export type DeliveryState = Pick<
  StoredDelivery,
  'status' | 'nextAttemptAt' | 'lastStatusCode' | 'lastError' | 'deliveredAt'
>;

export const endpointRecord = (row: EndpointRow): StoredEndpoint => ({
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
  sealedSecret: row.sealed_secret,
});

export const deliveryRecord = (row: DeliveryRow): StoredDelivery => ({
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
  body: row.payload,
});

/** An endpoint by its id, with its sealed secret. */
export async function findEndpoint(db: Db, tenantId: string, id: string): Promise<StoredEndpoint | undefined> {
  const row = await db
    .selectFrom('webhook_endpoints')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row && endpointRecord(row);
}

/** Disables an active endpoint, saying why; false when it was already disabled (or is gone). */
export async function disableEndpoint(
  db: Db,
  tenantId: string,
  id: string,
  reason: string,
  at: string,
): Promise<boolean> {
  const result = await db
    .updateTable('webhook_endpoints')
    .set({ status: 'disabled', disabled_at: at, disabled_reason: reason, updated_at: at })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .where('status', '=', 'active')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export type EndpointsRepo = ReturnType<typeof createEndpointsRepo>;

/** `webhook_endpoints` and `webhook_callback_secrets`. */
export function createEndpointsRepo(db: Db) {
  return {
    /** The same repository inside a caller's transaction. */
    within: (tx: Tx) => createEndpointsRepo(tx),
    ...endpointChanges(db),
    async insert(tenantId: string, e: StoredEndpoint): Promise<void> {
      await db
        .insertInto('webhook_endpoints')
        .values({
          id: e.id,
          tenant_id: tenantId,
          url: e.url,
          events: toJson(e.events),
          sealed_secret: e.sealedSecret,
          status: e.status,
          consecutive_failures: e.consecutiveFailures,
          failing_since: e.failingSince,
          disabled_at: e.disabledAt,
          disabled_reason: e.disabledReason,
          created_at: e.createdAt,
          updated_at: e.updatedAt,
        })
        .execute();
    },

    async count(tenantId: string): Promise<number> {
      const row = await db
        .selectFrom('webhook_endpoints')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('tenant_id', '=', tenantId)
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },

    async list(tenantId: string, status?: EndpointStatus): Promise<StoredEndpoint[]> {
      let q = db.selectFrom('webhook_endpoints').selectAll().where('tenant_id', '=', tenantId);
      if (status) q = q.where('status', '=', status);
      return (await q.orderBy('id').execute()).map(endpointRecord);
    },

    find: (tenantId: string, id: string) => findEndpoint(db, tenantId, id),

    /** Deletes the endpoint; its deliveries and attempts cascade. */
    async remove(tenantId: string, id: string): Promise<boolean> {
      const result = await db
        .deleteFrom('webhook_endpoints')
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .executeTakeFirst();
      return Number(result.numDeletedRows) === 1;
    },

    async findCallbackSecret(tenantId: string): Promise<string | undefined> {
      const row = await db
        .selectFrom('webhook_callback_secrets')
        .select('sealed_secret')
        .where('tenant_id', '=', tenantId)
        .executeTakeFirst();
      return row?.sealed_secret;
    },

    /** Stores the tenant's callback secret; `replace` false keeps one another process stored first. */
    async saveCallbackSecret(tenantId: string, sealed: string, at: string, replace: boolean): Promise<void> {
      await db
        .insertInto('webhook_callback_secrets')
        .values({ tenant_id: tenantId, sealed_secret: sealed, created_at: at })
        .onConflict((oc) =>
          replace
            ? oc.column('tenant_id').doUpdateSet({ sealed_secret: sealed, created_at: at })
            : oc.column('tenant_id').doNothing(),
        )
        .execute();
    },
  };
}

/** Changes made by hand to an endpoint: its URL or events, switching it off or on again. */
function endpointChanges(db: Db) {
  return {
    /** Active again, failure counters cleared. */
    async reactivate(tenantId: string, id: string, at: string): Promise<void> {
      await db
        .updateTable('webhook_endpoints')
        .set({
          status: 'active',
          consecutive_failures: 0,
          failing_since: null,
          disabled_at: null,
          disabled_reason: null,
          updated_at: at,
        })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .execute();
    },

    /** A new URL or event list; the signing secret and failure counters stay. */
    async change(tenantId: string, id: string, to: { url?: string; events?: string[] }, at: string): Promise<void> {
      await db
        .updateTable('webhook_endpoints')
        .set({
          ...(to.url !== undefined ? { url: to.url } : {}),
          ...(to.events !== undefined ? { events: toJson(to.events) } : {}),
          updated_at: at,
        })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .execute();
    },

    /** Stops deliveries to an active endpoint, saying why; an endpoint already disabled keeps its first reason. */
    async disable(tenantId: string, id: string, reason: string, at: string): Promise<void> {
      await disableEndpoint(db, tenantId, id, reason, at);
    },
  };
}
