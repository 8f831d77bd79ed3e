import type { Db } from '../../store/db.js';
import { toJson } from '../../store/json.js';

/** The database sourcing writes leads in. */
export type SourcedLeadsDb = Db;

/** A business or person a campaign found (a places search, a CSV row) to call. */
export interface SourcedLead {
  /** E.164. */
  phone: string;
  /** The business name, or the person's when the row names one. */
  company: string;
  city: string | null;
  niche: string;
  category: string | null;
  /** Where it came from, e.g. `campaign`. */
  source: string;
  metadata: Record<string, unknown>;
}

/** A lead found for a campaign, before anyone has spoken to it: no score, status `new`. */
export interface NewSourcedLead extends SourcedLead {
  id: string;
  contactId: string | undefined;
  at: string;
}

/** The leads rows sourcing writes: one per phone per tenant, reused when the phone already has a live lead. */
export function createSourcedLeadsRepo(db: Db) {
  return {
    async findLiveIdByPhone(tenantId: string, phone: string): Promise<string | undefined> {
      const row = await db
        .selectFrom('leads')
        .select('id')
        .where('tenant_id', '=', tenantId)
        .where('phone', '=', phone)
        .where('livemode', '=', 1)
        .orderBy('created_at')
        .executeTakeFirst();
      return row?.id;
    },

    async insert(tenantId: string, lead: NewSourcedLead): Promise<void> {
      await db
        .insertInto('leads')
        .values({
          id: lead.id,
          tenant_id: tenantId,
          email: null,
          name: null,
          company: lead.company,
          phone: lead.phone,
          message: null,
          source: lead.source,
          metadata: toJson(lead.metadata),
          status: 'new',
          contact_id: lead.contactId ?? null,
          city: lead.city,
          niche: lead.niche,
          category: lead.category,
          livemode: 1,
          created_at: lead.at,
          updated_at: lead.at,
        })
        .execute();
    },

    /** Moves the lead to `status` only from one of `from`, so a call never undoes a later or stronger status. */
    /** True when the status moved. */
    async moveStatus(tenantId: string, leadId: string, status: string, from: readonly string[], at: string) {
      const moved = await db
        .updateTable('leads')
        .set({ status, updated_at: at })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', leadId)
        .where('status', 'in', [...from])
        .executeTakeFirst();
      return Number(moved.numUpdatedRows) > 0;
    },
  };
}
