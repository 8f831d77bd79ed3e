import type { Db } from '../../store/db.js';
import type { ContactIdentitiesTable, ContactsTable } from '../../store/tables.js';

export type ContactRow = ContactsTable;

export async function findById(db: Db, tenantId: string, id: string): Promise<ContactRow | undefined> {
  return db
    .selectFrom('contacts')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function findByIdentity(
  db: Db,
  tenantId: string,
  channel: string,
  platformUserId: string,
): Promise<ContactRow | undefined> {
  return db
    .selectFrom('contact_identities as i')
    .innerJoin('contacts as c', 'c.id', 'i.contact_id')
    .selectAll('c')
    .where('i.tenant_id', '=', tenantId)
    .where('c.tenant_id', '=', tenantId)
    .where('i.channel', '=', channel)
    .where('i.platform_user_id', '=', platformUserId)
    .executeTakeFirst();
}

export async function findByPhone(db: Db, tenantId: string, phone: string): Promise<ContactRow | undefined> {
  return db
    .selectFrom('contacts')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('phone', '=', phone)
    .executeTakeFirst();
}

export async function findByEmail(db: Db, tenantId: string, email: string): Promise<ContactRow | undefined> {
  return db
    .selectFrom('contacts')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('email', '=', email)
    .executeTakeFirst();
}

/** Inserts; false when the phone or e-mail is already another contact's (a concurrent resolve won). */
export async function insert(db: Db, tenantId: string, row: Omit<ContactRow, 'tenant_id'>): Promise<boolean> {
  const result = await db
    .insertInto('contacts')
    .values({ ...row, tenant_id: tenantId })
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
}

export async function update(
  db: Db,
  tenantId: string,
  id: string,
  patch: Partial<Omit<ContactRow, 'id' | 'tenant_id' | 'created_at'>>,
): Promise<void> {
  await db.updateTable('contacts').set(patch).where('tenant_id', '=', tenantId).where('id', '=', id).execute();
}

export async function remove(db: Db, tenantId: string, id: string): Promise<void> {
  await db.deleteFrom('contacts').where('tenant_id', '=', tenantId).where('id', '=', id).execute();
}

/** Links a platform id to a contact; a link that already exists (to anyone) is left as it is. */
export async function insertIdentity(
  db: Db,
  tenantId: string,
  row: Omit<ContactIdentitiesTable, 'tenant_id'>,
): Promise<void> {
  await db
    .insertInto('contact_identities')
    .values({ ...row, tenant_id: tenantId })
    .onConflict((oc) => oc.columns(['tenant_id', 'channel', 'platform_user_id']).doNothing())
    .execute();
}

export async function listIdentities(db: Db, tenantId: string, contactId: string): Promise<ContactIdentitiesTable[]> {
  return db
    .selectFrom('contact_identities')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('contact_id', '=', contactId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** Moves everything that points at `fromId` (identities, conversations, sessions, appointment requests) to `toId`. */
export async function reassign(db: Db, tenantId: string, fromId: string, toId: string): Promise<void> {
  await db
    .updateTable('contact_identities')
    .set({ contact_id: toId })
    .where('tenant_id', '=', tenantId)
    .where('contact_id', '=', fromId)
    .execute();
  await db
    .updateTable('conversations')
    .set({ contact_id: toId })
    .where('tenant_id', '=', tenantId)
    .where('contact_id', '=', fromId)
    .execute();
  await db
    .updateTable('chat_sessions')
    .set({ contact_id: toId })
    .where('tenant_id', '=', tenantId)
    .where('contact_id', '=', fromId)
    .execute();
  await db
    .updateTable('appointment_requests')
    .set({ contact_id: toId })
    .where('tenant_id', '=', tenantId)
    .where('contact_id', '=', fromId)
    .execute();
}
