import { sql } from 'kysely';
import type { Db } from '../../store/db.js';
import { reassignContactRows } from '../../store/contact-rows.js';
import { pageWithTotal } from '../../store/paging.js';
import { fromJson, toJson } from '../../store/json.js';
import type { ContactsTable } from '../../store/tables.js';
import type { Tx } from '../transaction.js';
import type { Contact, ContactIdentity } from './contacts.records.js';

/** The database identity's repositories are made on. */
export type IdentityDb = Db;
/** A transaction another concept holds open; identity's writes join it instead of opening their own. */
export type IdentityTx = Db;

export type ContactPatch = Partial<Pick<Contact, 'name' | 'phone' | 'email' | 'attributes'>> & { updatedAt: string };

export interface IdentityLink extends ContactIdentity {
  id: string;
  contactId: string;
  createdAt: string;
}

export interface ContactsRepo {
  findById(tenantId: string, id: string): Promise<Contact | undefined>;
  findByIdentity(tenantId: string, channel: string, platformUserId: string): Promise<Contact | undefined>;
  findByPhone(tenantId: string, phone: string): Promise<Contact | undefined>;
  findByEmail(tenantId: string, email: string): Promise<Contact | undefined>;
  /** Newest first. */
  list(tenantId: string, page: { limit: number; offset: number }): Promise<{ contacts: Contact[]; total: number }>;
  /** Contacts whose name contains `name` (any case) or whose phone is `phone` (E.164), newest first. */
  search(tenantId: string, terms: { name: string; phone: string | undefined }, limit: number): Promise<Contact[]>;
  /** Inserts; false when the phone or e-mail is already another contact's (a concurrent resolve won). */
  insert(tenantId: string, contact: Contact): Promise<boolean>;
  update(tenantId: string, id: string, patch: ContactPatch): Promise<void>;
  remove(tenantId: string, id: string): Promise<void>;
  /** Links a platform id to a contact; a link that already exists (to anyone) is left as it is. */
  insertIdentity(tenantId: string, link: IdentityLink): Promise<void>;
  listIdentities(tenantId: string, contactId: string): Promise<ContactIdentity[]>;
  /** Moves contact `fromId`'s identities to `toId`. */
  repointIdentities(tenantId: string, fromId: string, toId: string): Promise<void>;
  /** Runs `fn` in a transaction, or in the one this repository is already bound to; `tx` is for other concepts' rows. */
  transaction<T>(fn: (repo: ContactsRepo, tx: Tx) => Promise<T>): Promise<T>;
  /** The same repository inside a caller's transaction. */
  within(tx: IdentityTx): ContactsRepo;
}

function toContact(r: ContactsTable): Contact {
  return {
    id: r.id,
    name: r.name,
    phone: r.phone,
    email: r.email,
    attributes: fromJson<Record<string, unknown>>(r.attributes, {}),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export function createContactsRepo(db: Db): ContactsRepo {
  const findBy = async (tenantId: string, column: 'id' | 'phone' | 'email', value: string) => {
    const row = await db
      .selectFrom('contacts')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where(column, '=', value)
      .executeTakeFirst();
    return row && toContact(row);
  };

  const repo: ContactsRepo = {
    findById: (tenantId, id) => findBy(tenantId, 'id', id),
    findByPhone: (tenantId, phone) => findBy(tenantId, 'phone', phone),
    findByEmail: (tenantId, email) => findBy(tenantId, 'email', email),

    async findByIdentity(tenantId, channel, platformUserId) {
      const row = await db
        .selectFrom('contact_identities as i')
        .innerJoin('contacts as c', 'c.id', 'i.contact_id')
        .selectAll('c')
        .where('i.tenant_id', '=', tenantId)
        .where('c.tenant_id', '=', tenantId)
        .where('i.channel', '=', channel)
        .where('i.platform_user_id', '=', platformUserId)
        .executeTakeFirst();
      return row && toContact(row);
    },

    list: (tenantId, page) => listContacts(db, tenantId, page),
    search: (tenantId, terms, limit) => searchContacts(db, tenantId, terms, limit),

    insert: (tenantId, c) => insertContact(db, tenantId, c),

    async update(tenantId, id, { attributes, updatedAt, ...fields }) {
      await db
        .updateTable('contacts')
        .set({ ...fields, ...(attributes ? { attributes: toJson(attributes) } : {}), updated_at: updatedAt })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .execute();
    },

    async remove(tenantId, id) {
      await db.deleteFrom('contacts').where('tenant_id', '=', tenantId).where('id', '=', id).execute();
    },

    insertIdentity: (tenantId, link) => insertIdentity(db, tenantId, link),

    async listIdentities(tenantId, contactId) {
      const rows = await db
        .selectFrom('contact_identities')
        .select(['channel', 'platform_user_id'])
        .where('tenant_id', '=', tenantId)
        .where('contact_id', '=', contactId)
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      return rows.map((i) => ({ channel: i.channel, platformUserId: i.platform_user_id }));
    },

    repointIdentities: (tenantId, fromId, toId) =>
      reassignContactRows(db, 'contact_identities', tenantId, fromId, toId),

    // A repository bound to a caller's transaction holds that Transaction; it joins rather than nests.
    transaction: (fn) =>
      db.isTransaction ? fn(repo, db as Tx) : db.transaction().execute((trx) => fn(createContactsRepo(trx), trx)),

    within: (tx) => createContactsRepo(tx),
  };
  return repo;
}

async function insertContact(db: Db, tenantId: string, c: Contact): Promise<boolean> {
  const result = await db
    .insertInto('contacts')
    .values({
      id: c.id,
      tenant_id: tenantId,
      name: c.name,
      phone: c.phone,
      email: c.email,
      attributes: toJson(c.attributes),
      created_at: c.createdAt,
      updated_at: c.updatedAt,
    })
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
}

async function insertIdentity(db: Db, tenantId: string, link: IdentityLink): Promise<void> {
  await db
    .insertInto('contact_identities')
    .values({
      id: link.id,
      tenant_id: tenantId,
      contact_id: link.contactId,
      channel: link.channel,
      platform_user_id: link.platformUserId,
      created_at: link.createdAt,
    })
    .onConflict((oc) => oc.columns(['tenant_id', 'channel', 'platform_user_id']).doNothing())
    .execute();
}

async function listContacts(
  db: Db,
  tenantId: string,
  page: { limit: number; offset: number },
): Promise<{ contacts: Contact[]; total: number }> {
  const { rows, total } = await pageWithTotal(db.selectFrom('contacts').where('tenant_id', '=', tenantId), (q) =>
    q.selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(page.limit).offset(page.offset).execute(),
  );
  return { contacts: rows.map(toContact), total };
}

async function searchContacts(
  db: Db,
  tenantId: string,
  { name, phone }: { name: string; phone: string | undefined },
  limit: number,
): Promise<Contact[]> {
  // lower() … LIKE with an explicit escape behaves the same on SQLite and PostgreSQL.
  const pattern = `%${name.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const rows = await db
    .selectFrom('contacts')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where((eb) => {
      const byName = sql<boolean>`lower(${sql.ref('name')}) like ${pattern} escape '\\'`;
      return phone ? eb.or([eb('phone', '=', phone), byName]) : byName;
    })
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map(toContact);
}
