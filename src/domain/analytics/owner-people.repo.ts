import type { Db } from '../../store/db.js';

/**
 * What an owner's customer figures read besides appointments and conversations: the people
 * themselves, web-form leads, and the follow-up and retention messages sent to them. Reads only;
 * identity, leads and reminders write these tables.
 */

const LIVE = 1;
/** Bound parameters per `IN (…)` list, well under either database's limit. */
const CHUNK = 500;

/** One customer as the owner's figures need them. */
export interface CustomerSample {
  id: string;
  name: string | null;
  /** The address the customer gave, when one is known (CRM or conversation). */
  address: string | null;
  createdAt: string;
}

/** A lead from any channel (a web form, a call, a chat) with the person it resolved to. */
export interface LeadSample {
  id: string;
  contactId: string | null;
  source: string;
  createdAt: string;
}

/** One follow-up or retention message claimed for a customer. */
export interface SendSample {
  kind: string;
  contactId: string;
  createdAt: string;
}

export type OwnerPeopleReadModel = ReturnType<typeof createOwnerPeopleReadModel>;

const chunks = <T>(items: T[]): T[][] =>
  Array.from({ length: Math.ceil(items.length / CHUNK) }, (_, i) => items.slice(i * CHUNK, (i + 1) * CHUNK));

function addressOf(attributes: string): string | null {
  try {
    const parsed: unknown = JSON.parse(attributes);
    const address = parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>).address : undefined;
    return typeof address === 'string' && address.trim() !== '' ? address.trim() : null;
  } catch {
    return null;
  }
}

export function createOwnerPeopleReadModel(db: Db) {
  return {
    /** The customers with these ids. */
    async customers(tenantId: string, ids: string[]): Promise<CustomerSample[]> {
      const out: CustomerSample[] = [];
      for (const part of chunks([...new Set(ids)])) {
        const rows = await db
          .selectFrom('contacts')
          .select(['id', 'name', 'attributes', 'created_at'])
          .where('tenant_id', '=', tenantId)
          .where('id', 'in', part)
          .execute();
        for (const r of rows)
          out.push({ id: r.id, name: r.name, address: addressOf(r.attributes), createdAt: r.created_at });
      }
      return out;
    },
    /** Of these customers, those with a live appointment created before `before`. */
    async bookedBefore(tenantId: string, ids: string[], before: string): Promise<Set<string>> {
      const out = new Set<string>();
      for (const part of chunks([...new Set(ids)])) {
        const rows = await db
          .selectFrom('appointment_requests')
          .select('contact_id')
          .distinct()
          .where('tenant_id', '=', tenantId)
          .where('livemode', '=', LIVE)
          .where('created_at', '<', before)
          .where('contact_id', 'in', part)
          .execute();
        for (const r of rows) if (r.contact_id) out.add(r.contact_id);
      }
      return out;
    },
    /** Live leads created since `from`, oldest first. */
    async leadsSince(tenantId: string, from: string): Promise<LeadSample[]> {
      const rows = await db
        .selectFrom('leads')
        .select(['id', 'contact_id', 'source', 'created_at'])
        .where('tenant_id', '=', tenantId)
        .where('livemode', '=', LIVE)
        .where('created_at', '>=', from)
        .orderBy('created_at')
        .execute();
      return rows.map((r) => ({ id: r.id, contactId: r.contact_id, source: r.source, createdAt: r.created_at }));
    },
    /** Follow-up and retention messages claimed since `from`, oldest first. */
    async sendsSince(tenantId: string, from: string): Promise<SendSample[]> {
      const rows = await db
        .selectFrom('reminder_sends')
        .select(['kind', 'contact_id', 'created_at'])
        .where('tenant_id', '=', tenantId)
        .where('kind', 'in', ['followup', 'retention'])
        .where('created_at', '>=', from)
        .orderBy('created_at')
        .execute();
      return rows.map((r) => ({ kind: r.kind, contactId: r.contact_id, createdAt: r.created_at }));
    },
  };
}
