import type { Db } from '../../store/db.js';
import type { UsersTable } from '../../store/tables.js';

export type UserRow = UsersTable;

export async function insert(db: Db, row: UserRow): Promise<void> {
  await db.insertInto('users').values(row).execute();
}

export async function findByEmail(db: Db, tenantId: string, email: string): Promise<UserRow | undefined> {
  return db
    .selectFrom('users')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('email', '=', email)
    .executeTakeFirst();
}

export async function listByTenant(
  db: Db,
  tenantId: string,
  opts: { limit: number; offset: number; role?: string },
): Promise<{ rows: UserRow[]; total: number }> {
  let q = db.selectFrom('users').where('tenant_id', '=', tenantId);
  if (opts.role) q = q.where('role', '=', opts.role);
  const [rows, count] = await Promise.all([
    q.selectAll().orderBy('created_at').orderBy('id').limit(opts.limit).offset(opts.offset).execute(),
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}
