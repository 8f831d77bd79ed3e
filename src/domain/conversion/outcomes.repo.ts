import type { AnalysisResult } from '../../engine/analysis.schema.js';
import type { Db } from '../../store/db.js';
import { fromJson } from '../../store/json.js';
import type { LeadOutcome } from './conversion.records.js';

/**
 * What the conversion model reads of other concepts' rows: leads, their contacts' appointments
 * and conversations, and the calls that made them. Reads only, live rows only (a test key's never
 * train a model); the leads, appointments, conversations and calls concepts write these tables.
 */

const LIVE = 1;
/** Appointment statuses that count as a booking. */
const BOOKED = ['scheduled', 'confirmed', 'completed'];
/** The newest leads a run reads; older outcomes say less about how the business sells now. */
const MAX_LEADS = 5000;

type LeadRow = {
  id: string;
  source: string;
  niche?: string | null | undefined;
  city?: string | null | undefined;
  status: string;
  won_at: string | null;
  analysis: string | null;
  contact_id: string | null;
  created_at: string;
};

const LEAD_COLUMNS = [
  'id',
  'source',
  'niche',
  'city',
  'status',
  'won_at',
  'analysis',
  'contact_id',
  'created_at',
] as const;

interface Engagement {
  booked: Set<string>;
  bookedLeads: Set<string>;
  byContact: Map<string, { conversations: number; messages: number }>;
  callsByLead: Map<string, number>;
}

export interface OutcomesRepo {
  /** The tenant's newest live leads with what happened to them. */
  listOutcomes(tenantId: string): Promise<LeadOutcome[]>;
  /** The oldest live lead with this e-mail, else this phone, as the model reads it. */
  findByKeys(
    tenantId: string,
    keys: { email?: string | undefined; phone?: string | undefined },
  ): Promise<LeadOutcome | undefined>;
}

function toOutcome(row: LeadRow, e: Engagement): LeadOutcome {
  const usage = row.contact_id ? e.byContact.get(row.contact_id) : undefined;
  return {
    id: row.id,
    source: row.source,
    niche: row.niche ?? null,
    city: row.city ?? null,
    status: row.status,
    wonAt: row.won_at,
    createdAt: row.created_at,
    analysis: fromJson<AnalysisResult | null>(row.analysis, null),
    booked: e.bookedLeads.has(row.id) || (row.contact_id !== null && e.booked.has(row.contact_id)),
    conversations: usage?.conversations ?? 0,
    messages: usage?.messages ?? 0,
    calls: e.callsByLead.get(row.id) ?? 0,
  };
}

/** Bookings, conversations and calls of the tenant, narrowed to one contact and lead when given. */
async function engagementOf(db: Db, tenantId: string, only?: { contactId: string | null; leadId: string }) {
  let appointments = db
    .selectFrom('appointment_requests')
    .select(['contact_id', 'lead_id'])
    .where('tenant_id', '=', tenantId)
    .where('livemode', '=', LIVE)
    .where('status', 'in', BOOKED);
  let conversations = db
    .selectFrom('conversations')
    .select((eb) => ['contact_id', eb.fn.countAll().as('n'), eb.fn.sum<number>('message_count').as('messages')])
    .where('tenant_id', '=', tenantId)
    .where('livemode', '=', LIVE)
    .where('contact_id', 'is not', null);
  let calls = db
    .selectFrom('ingestion_requests')
    .select((eb) => ['lead_id', eb.fn.countAll().as('n')])
    .where('tenant_id', '=', tenantId)
    .where('livemode', '=', LIVE)
    .where('lead_id', 'is not', null);
  if (only) {
    const contact = only.contactId ?? '';
    appointments = appointments.where((eb) => eb.or([eb('contact_id', '=', contact), eb('lead_id', '=', only.leadId)]));
    conversations = conversations.where('contact_id', '=', contact);
    calls = calls.where('lead_id', '=', only.leadId);
  }
  const [booked, convo, called] = await Promise.all([
    appointments.execute(),
    conversations.groupBy('contact_id').execute(),
    calls.groupBy('lead_id').execute(),
  ]);
  const e: Engagement = { booked: new Set(), bookedLeads: new Set(), byContact: new Map(), callsByLead: new Map() };
  for (const b of booked) {
    if (b.contact_id) e.booked.add(b.contact_id);
    if (b.lead_id) e.bookedLeads.add(b.lead_id);
  }
  for (const c of convo)
    if (c.contact_id) e.byContact.set(c.contact_id, { conversations: Number(c.n), messages: Number(c.messages ?? 0) });
  for (const c of called) if (c.lead_id) e.callsByLead.set(c.lead_id, Number(c.n));
  return e;
}

export function createOutcomesRepo(db: Db): OutcomesRepo {
  const leads = (tenantId: string) =>
    db.selectFrom('leads').select(LEAD_COLUMNS).where('tenant_id', '=', tenantId).where('livemode', '=', LIVE);

  const findBy = async (tenantId: string, column: 'email' | 'phone', value: string) => {
    const row = await leads(tenantId).where(column, '=', value).orderBy('created_at').limit(1).executeTakeFirst();
    return row && toOutcome(row, await engagementOf(db, tenantId, { contactId: row.contact_id, leadId: row.id }));
  };

  return {
    async listOutcomes(tenantId) {
      const rows = await leads(tenantId).orderBy('created_at', 'desc').orderBy('id').limit(MAX_LEADS).execute();
      const e = await engagementOf(db, tenantId);
      return rows.map((row) => toOutcome(row, e));
    },

    async findByKeys(tenantId, keys) {
      return (
        (keys.email ? await findBy(tenantId, 'email', keys.email) : undefined) ??
        (keys.phone ? await findBy(tenantId, 'phone', keys.phone) : undefined)
      );
    },
  };
}
