import type { Clock } from '../../lib/clock.js';
import { newId } from '../../lib/ids.js';
import { notFound } from '../errors.js';
import type { ContactsService } from '../identity/index.js';
import type { TenantsService } from '../tenants/index.js';
import type { Tx } from '../transaction.js';
import { cancelChange, confirmChange, rescheduleChange } from './appointment-lifecycle.js';
import type {
  Agenda,
  AgendaEntry,
  AgendaQuery,
  Appointment,
  AppointmentBooking,
  AppointmentChange,
  AppointmentFigures,
  AppointmentFilter,
  AppointmentRequest,
} from './appointment-record.js';
import { agendaOf, entryOf } from './appointments-agenda.js';
import { createAppointmentsRepo, type AppointmentsRepo } from './appointments.repo.js';

export interface AppointmentsService {
  /** Records a customer's appointment request in the caller's transaction (a conversation's turn). */
  requestIn(tx: Tx, tenantId: string, request: AppointmentRequest): Promise<void>;
  /** The requests a conversation made, oldest first. */
  listForConversation(tenantId: string, conversationId: string): Promise<Appointment[]>;
  /** The contact's next appointment: their newest request not cancelled. */
  nextForContact(tenantId: string, contactId: string): Promise<Appointment | undefined>;
  /** A customer's answer about their appointment: `confirmed`, `cancelled` or `reschedule_requested`. */
  setStatus(tenantId: string, id: string, status: AppointmentAnswer, at: string): Promise<void>;
  /** Books an appointment for a customer of the tenant (404 when the customer is not the tenant's). */
  book(tenantId: string, booking: AppointmentBooking): Promise<Appointment>;
  get(tenantId: string, id: string): Promise<Appointment>;
  /** Newest first. */
  list(
    tenantId: string,
    filter: AppointmentFilter,
    page: { limit: number; offset: number },
  ): Promise<{ items: Appointment[]; total: number }>;
  update(tenantId: string, id: string, change: AppointmentChange): Promise<Appointment>;
  /** Every appointment of the tenant in figures (admin usage reports). */
  figures(tenantId: string): Promise<AppointmentFigures>;
  /** The tenant's calendar between two local dates of its time zone. */
  agenda(tenantId: string, query: AgendaQuery): Promise<Agenda>;
  /** One appointment as the calendar shows it (404 when not the tenant's). */
  entry(tenantId: string, id: string): Promise<AgendaEntry>;
  /** Books the appointment's time (409 when closed, already confirmed, without an exact time, or past). */
  confirm(tenantId: string, id: string): Promise<Appointment>;
  /** Moves it to `start`, in the future (400 naming `start` otherwise); it then waits for a confirmation. */
  reschedule(tenantId: string, id: string, start: Date): Promise<Appointment>;
  cancel(tenantId: string, id: string, reason: string | null): Promise<Appointment>;
}

export type AppointmentAnswer = 'confirmed' | 'cancelled' | 'reschedule_requested';

export interface AppointmentsPorts {
  repo: AppointmentsRepo;
  clock: Clock;
  /** Whose appointment it is: a customer is an identity contact. */
  contacts: Pick<ContactsService, 'get'>;
  /** The tenant's time zone, which a calendar's dates are read in. */
  tenants: Pick<TenantsService, 'get'>;
}

export function createAppointmentsService(deps: AppointmentsPorts): AppointmentsService {
  const load = async (tenantId: string, id: string): Promise<Appointment> => {
    const found = await deps.repo.findById(tenantId, id);
    if (!found) throw notFound('appointment', id);
    return found;
  };
  const change = async (tenantId: string, id: string, decide: (a: Appointment, now: Date) => AppointmentChange) => {
    const now = deps.clock.now();
    await deps.repo.update(tenantId, id, decide(await load(tenantId, id), now), now.toISOString());
    return load(tenantId, id);
  };
  return {
    agenda: (tenantId, query) => agendaOf(deps, tenantId, query),
    entry: async (tenantId, id) => entryOf(deps, tenantId, await load(tenantId, id)),
    confirm: (tenantId, id) => change(tenantId, id, confirmChange),
    reschedule: (tenantId, id, start) => change(tenantId, id, (a, now) => rescheduleChange(a, start, now)),
    cancel: (tenantId, id, reason) => change(tenantId, id, (a) => cancelChange(a, reason)),
    requestIn: (tx, tenantId, request) => createAppointmentsRepo(tx).insertRequest(tenantId, request),
    listForConversation: (tenantId, conversationId) => deps.repo.listForConversation(tenantId, conversationId),
    nextForContact: (tenantId, contactId) => deps.repo.latestOpenForContact(tenantId, contactId),
    setStatus: (tenantId, id, status, at) => deps.repo.update(tenantId, id, { status }, at),
    book: (tenantId, booking) => book(deps, tenantId, booking),
    get: load,
    async list(tenantId, filter, page) {
      const { rows, total } = await deps.repo.list(tenantId, filter, page);
      return { items: rows, total };
    },
    async figures(tenantId) {
      const groups = await deps.repo.figures(tenantId);
      const byService: Record<string, number> = {};
      for (const g of groups)
        byService[g.service ?? 'unspecified'] = (byService[g.service ?? 'unspecified'] ?? 0) + g.count;
      return {
        total: groups.reduce((n, g) => n + g.count, 0),
        emergencies: groups.reduce((n, g) => n + g.emergencies, 0),
        byService,
      };
    },
    async update(tenantId, id, change) {
      await load(tenantId, id);
      await deps.repo.update(tenantId, id, change, deps.clock.now().toISOString());
      return load(tenantId, id);
    },
  };
}

async function book(deps: AppointmentsPorts, tenantId: string, booking: AppointmentBooking): Promise<Appointment> {
  const contact = await deps.contacts.get(tenantId, booking.contactId);
  const now = deps.clock.now().toISOString();
  const appointment: Appointment = {
    id: newId('appt'),
    conversationId: null,
    contactId: contact.id,
    leadId: null,
    preferredTime: null,
    requestedStart: null,
    requestedEnd: null,
    fields: {},
    source: 'crm',
    status: booking.status ?? 'scheduled',
    startTime: booking.startTime ?? null,
    endTime: booking.endTime ?? null,
    serviceType: booking.serviceType ?? null,
    description: booking.description ?? null,
    isEmergency: booking.isEmergency ?? false,
    estimatedValue: booking.estimatedValue ?? null,
    technician: booking.technician ?? null,
    tags: booking.tags ?? [],
    cancelReason: null,
    createdAt: now,
    updatedAt: now,
  };
  await deps.repo.insert(tenantId, appointment);
  return appointment;
}
