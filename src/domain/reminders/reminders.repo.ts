import type { Db } from '../../store/db.js';
import type { DataMode } from '../actor.js';

/** Someone a run may message: the subject its claim is unique on, the contact, and what the text names. */
export interface ReminderCandidate {
  subjectId: string;
  contactId: string;
  phone: string;
  name: string | null;
  /** The appointment's start (upcoming) or the last visit (retention); null for a follow-up. */
  at: string | null;
  serviceType: string | null;
}

export type ReminderKind = 'upcoming' | 'followup' | 'retention';

/** A run under a test key reaches only test rows (what test conversations collected), a live run only live ones. */
const livemode = (mode: DataMode) => (mode === 'live' ? 1 : 0);

/** Appointments still ahead of the customer; a retention message waits while one exists. */
const BOOKED = ['requested', 'scheduled', 'confirmed', 'reschedule_requested'];

/** Scheduled or confirmed appointments of contacts with a phone, starting in (from, to]. */
async function selectUpcoming(
  db: Db,
  tenantId: string,
  mode: DataMode,
  from: string,
  to: string,
): Promise<ReminderCandidate[]> {
  const rows = await db
    .selectFrom('appointment_requests as a')
    .innerJoin('contacts as c', (j) => j.onRef('c.id', '=', 'a.contact_id').onRef('c.tenant_id', '=', 'a.tenant_id'))
    .select(['a.id', 'a.contact_id', 'a.start_time', 'a.service_type', 'c.phone', 'c.name'])
    .where('a.tenant_id', '=', tenantId)
    .where('a.livemode', '=', livemode(mode))
    .where('a.status', 'in', ['scheduled', 'confirmed'])
    .where('a.start_time', '>', from)
    .where('a.start_time', '<=', to)
    .where('c.phone', 'is not', null)
    .orderBy('a.start_time')
    .orderBy('a.id')
    .execute();
  return rows.map((r) => ({
    subjectId: r.id,
    contactId: r.contact_id ?? '',
    phone: r.phone ?? '',
    name: r.name,
    at: r.start_time ?? null,
    serviceType: r.service_type ?? null,
  }));
}

/** Contacts with a phone who last wrote in a live conversation in [since, until] and have no appointment but cancelled ones. */
async function selectFollowups(
  db: Db,
  tenantId: string,
  mode: DataMode,
  since: string,
  until: string,
): Promise<ReminderCandidate[]> {
  const rows = await db
    .selectFrom('conversations as cv')
    .innerJoin('contacts as c', (j) => j.onRef('c.id', '=', 'cv.contact_id').onRef('c.tenant_id', '=', 'cv.tenant_id'))
    .select(['c.id', 'c.phone', 'c.name'])
    .distinct()
    .where('cv.tenant_id', '=', tenantId)
    .where('cv.livemode', '=', livemode(mode))
    .where('cv.last_inbound_at', '>=', since)
    .where('cv.last_inbound_at', '<=', until)
    .where('c.phone', 'is not', null)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('appointment_requests as a')
            .select('a.id')
            .where('a.tenant_id', '=', tenantId)
            .whereRef('a.contact_id', '=', 'c.id')
            .where('a.status', '!=', 'cancelled'),
        ),
      ),
    )
    .orderBy('c.id')
    .execute();
  return rows.map((r) => ({
    subjectId: r.id,
    contactId: r.id,
    phone: r.phone ?? '',
    name: r.name,
    at: null,
    serviceType: null,
  }));
}

/** Contacts with a phone whose last completed visit started at or before `cutoff` and who have nothing booked after `now`. */
async function selectLapsed(
  db: Db,
  tenantId: string,
  mode: DataMode,
  cutoff: string,
  now: string,
): Promise<ReminderCandidate[]> {
  const rows = await db
    .selectFrom('appointment_requests as a')
    .innerJoin('contacts as c', (j) => j.onRef('c.id', '=', 'a.contact_id').onRef('c.tenant_id', '=', 'a.tenant_id'))
    .select(({ fn }) => ['c.id', 'c.phone', 'c.name', fn.max('a.start_time').as('last_visit')])
    .where('a.tenant_id', '=', tenantId)
    .where('a.livemode', '=', livemode(mode))
    .where('a.status', '=', 'completed')
    .where('a.start_time', 'is not', null)
    .where('c.phone', 'is not', null)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('appointment_requests as f')
            .select('f.id')
            .where('f.tenant_id', '=', tenantId)
            .whereRef('f.contact_id', '=', 'c.id')
            .where('f.status', 'in', BOOKED)
            .where('f.start_time', '>', now),
        ),
      ),
    )
    .groupBy(['c.id', 'c.phone', 'c.name'])
    .having(({ fn }) => fn.max('a.start_time'), '<=', cutoff)
    .orderBy('c.id')
    .execute();
  return rows.map((r) => ({
    // One message per lapse: a later visit starts a new step of the campaign.
    subjectId: `${r.id}:${String(r.last_visit)}`,
    contactId: r.id,
    phone: r.phone ?? '',
    name: r.name,
    at: r.last_visit === null ? null : String(r.last_visit),
    serviceType: null,
  }));
}

/**
 * The `reminder_sends` table (the reminders concept writes it) and the reads of appointments,
 * contacts and conversations the three runs select from, in one data mode.
 */
export function createRemindersRepo(db: Db) {
  return {
    upcoming: (tenantId: string, mode: DataMode, from: string, to: string) =>
      selectUpcoming(db, tenantId, mode, from, to),
    followups: (tenantId: string, mode: DataMode, since: string, until: string) =>
      selectFollowups(db, tenantId, mode, since, until),
    lapsed: (tenantId: string, mode: DataMode, cutoff: string, now: string) =>
      selectLapsed(db, tenantId, mode, cutoff, now),

    /** Claims one send before it happens; false when a run (here or in another process) already did. */
    async claim(tenantId: string, kind: ReminderKind, subjectId: string, contactId: string, at: string) {
      const result = await db
        .insertInto('reminder_sends')
        .values({
          tenant_id: tenantId,
          kind,
          subject_id: subjectId,
          contact_id: contactId,
          message_id: null,
          created_at: at,
        })
        .onConflict((oc) => oc.columns(['tenant_id', 'kind', 'subject_id']).doNothing())
        .executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
    },

    async setMessage(tenantId: string, kind: ReminderKind, subjectId: string, messageId: string): Promise<void> {
      await db
        .updateTable('reminder_sends')
        .set({ message_id: messageId })
        .where('tenant_id', '=', tenantId)
        .where('kind', '=', kind)
        .where('subject_id', '=', subjectId)
        .execute();
    },

    /** Gives a claim back when its message could not even be stored, so a later run tries again. */
    async release(tenantId: string, kind: ReminderKind, subjectId: string): Promise<void> {
      await db
        .deleteFrom('reminder_sends')
        .where('tenant_id', '=', tenantId)
        .where('kind', '=', kind)
        .where('subject_id', '=', subjectId)
        .where('message_id', 'is', null)
        .execute();
    },
  };
}

export type RemindersRepo = ReturnType<typeof createRemindersRepo>;
