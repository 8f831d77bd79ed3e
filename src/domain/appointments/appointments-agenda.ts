import { zonedDate } from '../../lib/zoned-day.js';
import { invalid } from '../errors.js';
import type { Contact, ContactsService } from '../identity/index.js';
import type { TenantsService } from '../tenants/index.js';
import { placeOf } from './appointment-lifecycle.js';
import type { Agenda, AgendaContact, AgendaEntry, AgendaQuery, Appointment } from './appointment-record.js';
import type { AppointmentsRepo } from './appointments.repo.js';

/** The longest range one calendar read covers: six weeks, more than a month view needs. */
export const AGENDA_MAX_DAYS = 42;
const UNTIMED_LIMIT = 50;
const DAY_MS = 86_400_000;
const OPEN_REQUESTS = new Set(['requested', 'reschedule_requested']);

export interface AgendaPorts {
  repo: AppointmentsRepo;
  tenants: Pick<TenantsService, 'get'>;
  contacts: Pick<ContactsService, 'get'>;
}

const text = (v: unknown): string | null => (typeof v === 'string' && v.trim() ? v : null);

/** The bounds of the local dates `from`..`to` in `zone`, refusing a reversed or too long range. */
function boundsOf(q: AgendaQuery, zone: string): { start: Date; end: Date } {
  const start = zonedDate(q.from, zone).start;
  const end = zonedDate(q.to, zone).end;
  if (end.getTime() <= start.getTime())
    throw invalid([{ field: 'to', issue: 'must be on or after from', location: 'query' }]);
  if (Date.parse(q.to) - Date.parse(q.from) >= AGENDA_MAX_DAYS * DAY_MS)
    throw invalid([{ field: 'to', issue: `must be within ${AGENDA_MAX_DAYS} days of from`, location: 'query' }]);
  return { start, end };
}

/** Who each appointment is for: its contact, else what the conversation collected. */
async function contactsOf(ports: AgendaPorts, tenantId: string, items: Appointment[]) {
  const ids = [...new Set(items.map((a) => a.contactId).filter((id): id is string => id !== null))];
  const found = await Promise.all(ids.map((id) => ports.contacts.get(tenantId, id).catch(() => null)));
  const byId = new Map(found.filter((c): c is Contact => c !== null).map((c) => [c.id, c]));
  return (a: Appointment): AgendaContact => {
    const c = a.contactId ? byId.get(a.contactId) : undefined;
    return { name: c?.name ?? text(a.fields.name), phone: c?.phone ?? text(a.fields.phone) };
  };
}

/** One appointment as the calendar shows it. */
export async function entryOf(ports: AgendaPorts, tenantId: string, a: Appointment): Promise<AgendaEntry> {
  const contactOf = await contactsOf(ports, tenantId, [a]);
  return { appointment: a, contact: contactOf(a), ...placeOf(a) };
}

/**
 * A tenant's appointments between two local dates of its time zone (`general.timezone`), each at
 * its booked start or else the requested one, earliest first; and the open requests no time was
 * read for, which belong to no day.
 */
export async function agendaOf(ports: AgendaPorts, tenantId: string, q: AgendaQuery): Promise<Agenda> {
  const tenant = await ports.tenants.get(tenantId);
  const timezone = tenant.config.general?.timezone ?? tenant.timezone;
  const { start, end } = boundsOf(q, timezone);
  const around = await ports.repo.listPlacedAround(
    tenantId,
    new Date(start.getTime() - DAY_MS).toISOString(),
    new Date(end.getTime() + DAY_MS).toISOString(),
    q.status,
  );
  const placed = around
    .map((a) => ({ a, ...placeOf(a) }))
    .filter((p) => p.at !== null && p.at >= start.toISOString() && p.at < end.toISOString())
    .sort((x, y) => (x.at ?? '').localeCompare(y.at ?? '') || x.a.id.localeCompare(y.a.id));
  const untimed =
    q.status && !OPEN_REQUESTS.has(q.status)
      ? []
      : (await ports.repo.listUntimed(tenantId, UNTIMED_LIMIT)).filter((a) => !q.status || a.status === q.status);
  const contactOf = await contactsOf(ports, tenantId, [...placed.map((p) => p.a), ...untimed]);
  const entry = (a: Appointment, at: string | null, kind: AgendaEntry['kind']): AgendaEntry => ({
    appointment: a,
    contact: contactOf(a),
    at,
    kind,
  });
  return {
    timezone,
    entries: placed.map((p) => entry(p.a, p.at, p.kind)),
    untimed: untimed.map((a) => entry(a, null, 'requested')),
  };
}
