import type { Db } from '../../store/db.js';

/*
 * `channel_routes` rows. Writes are per tenant; the lookups read across tenants on purpose: a
 * platform's webhook names its phone number, Page or workspace, never our tenant, and finding
 * the tenant is what these queries are for. Each is one seek on the (channel, external_key) index.
 */

export interface RouteRow {
  channel: string;
  externalKey: string;
}

/**
 * Makes `routes` the tenant's whole set: keys it no longer names go, new ones are added, kept ones
 * keep their `created_at`. A key another tenant holds is left to it and returned; the caller
 * decides whether that undoes the transaction it runs in. `db` is the caller's transaction.
 */
async function replaceForTenant(db: Db, tenantId: string, routes: RouteRow[], at: string): Promise<RouteRow[]> {
  await db
    .deleteFrom('channel_routes')
    .where('tenant_id', '=', tenantId)
    .$if(routes.length > 0, (q) =>
      q.where((eb) =>
        eb.not(
          eb.or(routes.map((r) => eb.and([eb('channel', '=', r.channel), eb('external_key', '=', r.externalKey)]))),
        ),
      ),
    )
    .execute();
  const refused: RouteRow[] = [];
  for (const route of routes) {
    // Returns a row when the key was free or already the tenant's; nothing when another tenant holds it.
    const claimed = await db
      .insertInto('channel_routes')
      .values({
        tenant_id: tenantId,
        channel: route.channel,
        external_key: route.externalKey,
        created_at: at,
        updated_at: at,
      })
      .onConflict((oc) =>
        oc
          .columns(['channel', 'external_key'])
          .doUpdateSet({ updated_at: at })
          .where('channel_routes.tenant_id', '=', tenantId),
      )
      .returning('tenant_id')
      .executeTakeFirst();
    if (!claimed) refused.push(route);
  }
  return refused;
}

/** The tenants routed by any of `keys` on `channel`, in the order of the keys. */
async function tenantsByKeys(db: Db, channel: string, keys: string[]): Promise<string[]> {
  if (keys.length === 0) return [];
  const rows = await db
    .selectFrom('channel_routes')
    .select(['tenant_id', 'external_key'])
    .where('channel', '=', channel)
    .where('external_key', 'in', keys)
    .execute();
  const ordered = keys.flatMap((key) => rows.filter((r) => r.external_key === key).map((r) => r.tenant_id));
  return [...new Set(ordered)];
}

/** Every tenant with a route on `channel`, for requests that carry no key of ours (Teams, an unkeyed Slack request). */
async function tenantsOnChannel(db: Db, channel: string): Promise<string[]> {
  const rows = await db
    .selectFrom('channel_routes')
    .select('tenant_id')
    .distinct()
    .where('channel', '=', channel)
    .orderBy('tenant_id')
    .execute();
  return rows.map((r) => r.tenant_id);
}

async function anyOnChannel(db: Db, channel: string): Promise<boolean> {
  return (
    (await db
      .selectFrom('channel_routes')
      .select('tenant_id')
      .where('channel', '=', channel)
      .limit(1)
      .executeTakeFirst()) !== undefined
  );
}

export type ChannelRoutesRepo = ReturnType<typeof createChannelRoutesRepo>;

/** The lookups on the repo's own connection; `replaceForTenant` runs in the transaction it is given. */
export function createChannelRoutesRepo(db: Db) {
  return {
    replaceForTenant: (trx: Db, tenantId: string, routes: RouteRow[], at: string) =>
      replaceForTenant(trx, tenantId, routes, at),
    tenantsByKeys: (channel: string, keys: string[]) => tenantsByKeys(db, channel, keys),
    tenantsOnChannel: (channel: string) => tenantsOnChannel(db, channel),
    anyOnChannel: (channel: string) => anyOnChannel(db, channel),
  };
}
