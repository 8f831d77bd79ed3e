import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { parsePhoneNumberFromString } from 'libphonenumber-js';

// Frozen: append a new migration instead of editing this one.
// A lead names the person behind it (identity's contact), so a caller who later fills a form or
// chats is one contact with all their leads. Existing leads are attached here, once, by the rules
// identity used when this migration was written (copied, because migrations import no app code):
// phone in E.164, then e-mail lower-cased, else a new contact. A lead with neither gets none. Where
// a lead's phone and e-mail name two different contacts it joins the phone's and the two are left
// apart: the running service merges them the next time the person shows both.

interface Tables {
  leads: {
    id: string;
    tenant_id: string;
    phone: string | null;
    email: string | null;
    name: string | null;
    contact_id: string | null;
    created_at: string;
  };
  contacts: {
    id: string;
    tenant_id: string;
    name: string | null;
    phone: string | null;
    email: string | null;
    attributes: string;
    created_at: string;
    updated_at: string;
  };
}

type Contact = Pick<Tables['contacts'], 'id' | 'name' | 'phone' | 'email'>;

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('leads')
    .addColumn('contact_id', 'varchar(40)', (c) => c.references('contacts.id').onDelete('set null'))
    .execute();
  await db.schema.createIndex('leads_tenant_contact').on('leads').columns(['tenant_id', 'contact_id']).execute();
  await backfillLeadContacts(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('leads_tenant_contact').execute();
  await db.schema.alterTable('leads').dropColumn('contact_id').execute();
}

function normalisePhone(raw: string | null): string | undefined {
  if (!raw) return undefined;
  const parsed = parsePhoneNumberFromString(raw.replace(/^whatsapp:/i, '').trim(), 'US');
  return parsed?.isPossible() ? parsed.number : undefined;
}

function normaliseEmail(raw: string | null): string | undefined {
  const email = raw?.trim().toLowerCase();
  return email && /^[^\s@]+@[^\s@.]+(?:\.[^\s@.]+)+$/.test(email) ? email : undefined;
}

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

/** A `contact_` id in the app's layout (48 bits of milliseconds, 80 random bits, Crockford base32). */
function contactId(createdAt: string): string {
  let ms = Date.parse(createdAt) || Date.now();
  let time = '';
  for (let i = 0; i < 10; i++, ms = Math.floor(ms / 32)) time = ALPHABET[ms % 32]! + time;
  let random = '';
  for (const byte of randomBytes(16)) random += ALPHABET[byte % 32]!;
  return `contact_${time}${random}`;
}

/** Attaches every lead without a contact to the contact its phone or e-mail names, tenant by tenant. */
export async function backfillLeadContacts<DB>(raw: Kysely<DB>): Promise<void> {
  const db = raw as unknown as Kysely<Tables>;
  const tenants = await db
    .selectFrom('leads')
    .select('tenant_id')
    .distinct()
    .where('contact_id', 'is', null)
    .where((eb) => eb.or([eb('phone', 'is not', null), eb('email', 'is not', null)]))
    .execute();
  for (const { tenant_id } of tenants) await backfillTenant(db, tenant_id);
}

async function backfillTenant(db: Kysely<Tables>, tenantId: string): Promise<void> {
  const byPhone = new Map<string, Contact>();
  const byEmail = new Map<string, Contact>();
  const known = (c: Contact) => {
    if (c.phone) byPhone.set(c.phone, c);
    if (c.email) byEmail.set(c.email, c);
  };
  const contacts = await db
    .selectFrom('contacts')
    .select(['id', 'name', 'phone', 'email'])
    .where('tenant_id', '=', tenantId)
    .execute();
  contacts.forEach(known);
  const leads = await db
    .selectFrom('leads')
    .select(['id', 'phone', 'email', 'name', 'created_at'])
    .where('tenant_id', '=', tenantId)
    .where('contact_id', 'is', null)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  const now = new Date().toISOString();
  for (const lead of leads) {
    const phone = normalisePhone(lead.phone);
    const email = normaliseEmail(lead.email);
    if (!phone && !email) continue;
    const name = lead.name?.trim().slice(0, 200) || null;
    let contact = (phone && byPhone.get(phone)) || (email && byEmail.get(email)) || undefined;
    if (!contact) {
      contact = { id: contactId(lead.created_at), name, phone: phone ?? null, email: email ?? null };
      await db
        .insertInto('contacts')
        .values({ ...contact, tenant_id: tenantId, attributes: '{}', created_at: lead.created_at, updated_at: now })
        .execute();
    } else {
      // What the contact lacks and no other contact holds, as identity's learning would fill it.
      const patch = {
        ...(phone && !contact.phone && !byPhone.has(phone) ? { phone } : {}),
        ...(email && !contact.email && !byEmail.has(email) ? { email } : {}),
        ...(name && !contact.name ? { name } : {}),
      };
      if (Object.keys(patch).length > 0) {
        await db
          .updateTable('contacts')
          .set({ ...patch, updated_at: now })
          .where('tenant_id', '=', tenantId)
          .where('id', '=', contact.id)
          .execute();
        contact = { ...contact, ...patch };
      }
    }
    known(contact);
    await db
      .updateTable('leads')
      .set({ contact_id: contact.id })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', lead.id)
      .execute();
  }
}
