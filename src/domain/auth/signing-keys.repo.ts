import type { Db } from '../../store/db.js';
import type { SigningKeysTable } from '../../store/tables.js';

export async function listAll(db: Db): Promise<SigningKeysTable[]> {
  return db.selectFrom('signing_keys').selectAll().orderBy('created_at', 'desc').execute();
}

export async function insert(db: Db, row: SigningKeysTable): Promise<void> {
  await db.insertInto('signing_keys').values(row).execute();
}
