import type { Db } from '../../store/db.js';
import type { TenantsTable } from '../../store/tables.js';

export type TenantRow = TenantsTable;

export async function insert(db: Db, row: TenantRow): Promise<void> {
  await db.insertInto('tenants').values(row).execute();
}

export async function findById(db: Db, id: string): Promise<TenantRow | undefined> {
  return db.selectFrom('tenants').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function list(
  db: Db,
  opts: { limit: number; offset: number; status?: string; plan?: string },
): Promise<{ rows: TenantRow[]; total: number }> {
  let q = db.selectFrom('tenants');
  if (opts.status) q = q.where('status', '=', opts.status);
  if (opts.plan) q = q.where('plan', '=', opts.plan);
  const [rows, count] = await Promise.all([
    q.selectAll().orderBy('created_at', 'desc').orderBy('id').limit(opts.limit).offset(opts.offset).execute(),
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

export async function update(db: Db, id: string, patch: Partial<Omit<TenantRow, 'id' | 'created_at'>>): Promise<void> {
  await db.updateTable('tenants').set(patch).where('id', '=', id).execute();
}

/** Writes a new configuration only if nobody changed it since `expectedVersion` was read. */
export async function updateConfig(
  db: Db,
  id: string,
  expectedVersion: number,
  config: string,
  updatedAt: string,
): Promise<boolean> {
  const result = await db
    .updateTable('tenants')
    .set({ config, config_version: expectedVersion + 1, updated_at: updatedAt })
    .where('id', '=', id)
    .where('config_version', '=', expectedVersion)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Locks the tenant's row for the transaction if its configuration is still at `version`; false when it moved on. */
export async function holdVersion(db: Db, id: string, version: number): Promise<boolean> {
  const result = await db
    .updateTable('tenants')
    .set({ config_version: version })
    .where('id', '=', id)
    .where('config_version', '=', version)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function idsOldestFirst(db: Db): Promise<string[]> {
  const rows = await db.selectFrom('tenants').select('id').orderBy('created_at').orderBy('id').execute();
  return rows.map((r) => r.id);
}

/** Deletes the tenant; every tenant-owned table cascades from tenants.id. */
export async function remove(db: Db, id: string): Promise<boolean> {
  const result = await db.deleteFrom('tenants').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}

export async function countByStatus(db: Db): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom('tenants')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('status')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}
