import type { Db } from '../../store/db.js';
import { reassignContactRows } from '../../store/contact-rows.js';
import { pageWithTotal } from '../../store/paging.js';
import { fromJson, toJson } from '../../store/json.js';
import type { AppointmentRequestsTable } from '../../store/tables.js';
import type {
  Appointment,
  AppointmentChange,
  AppointmentFilter,
  AppointmentRequest,
  AppointmentSource,
} from './appointment-record.js';

/** The most rows one calendar range reads; a range is at most a few weeks of one business's appointments. */
const PLACED_LIMIT = 2000;

function toRecord(r: AppointmentRequestsTable): Appointment {
  return {
    id: r.id,
    conversationId: r.conversation_id,
    contactId: r.contact_id,
    leadId: r.lead_id,
    preferredTime: r.preferred_time,
    requestedStart: r.requested_start,
    requestedEnd: r.requested_end,
    fields: fromJson<Record<string, unknown>>(r.fields, {}),
    status: r.status,
    startTime: r.start_time ?? null,
    endTime: r.end_time ?? null,
    serviceType: r.service_type ?? null,
    description: r.description ?? null,
    isEmergency: Number(r.is_emergency ?? 0) === 1,
    estimatedValue: r.estimated_value === null || r.estimated_value === undefined ? null : Number(r.estimated_value),
    technician: r.technician ?? null,
    tags: fromJson<string[]>(r.tags ?? null, []),
    cancelReason: r.cancel_reason ?? null,
    source: (r.source ?? 'chat') as AppointmentSource,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

const COLUMNS = {
  status: 'status',
  startTime: 'start_time',
  endTime: 'end_time',
  serviceType: 'service_type',
  description: 'description',
  isEmergency: 'is_emergency',
  estimatedValue: 'estimated_value',
  technician: 'technician',
  tags: 'tags',
  cancelReason: 'cancel_reason',
} as const satisfies Record<keyof AppointmentChange, keyof AppointmentRequestsTable>;

function toChangeRow(change: AppointmentChange): Partial<AppointmentRequestsTable> {
  const row: Record<string, unknown> = {};
  for (const key of Object.keys(COLUMNS) as (keyof AppointmentChange)[]) {
    const value = change[key];
    if (value === undefined) continue;
    row[COLUMNS[key]] = key === 'isEmergency' ? (value ? 1 : 0) : key === 'tags' ? toJson(value) : value;
  }
  return row;
}

/** The columns every appointment is inserted with, whether a conversation requested it or the CRM booked it. */
function startingColumns(tenantId: string, a: Appointment | AppointmentRequest) {
  return {
    id: a.id,
    tenant_id: tenantId,
    conversation_id: a.conversationId,
    contact_id: a.contactId,
    lead_id: a.leadId,
    preferred_time: a.preferredTime,
    fields: toJson(a.fields),
    status: a.status,
    created_at: a.createdAt,
    updated_at: a.updatedAt,
  };
}

/** The `appointment_requests` table: every appointment, requested in a conversation or booked through the CRM. */
export function createAppointmentsRepo(db: Db) {
  const scoped = (tenantId: string) => db.selectFrom('appointment_requests').where('tenant_id', '=', tenantId);
  return {
    insertRequest: (tenantId: string, a: AppointmentRequest) => insertRequestRow(db, tenantId, a),

    async insert(tenantId: string, a: Appointment): Promise<void> {
      await db
        .insertInto('appointment_requests')
        .values({ ...startingColumns(tenantId, a), source: a.source, ...toChangeRow(a) })
        .execute();
    },

    async findById(tenantId: string, id: string): Promise<Appointment | undefined> {
      const row = await scoped(tenantId).selectAll().where('id', '=', id).executeTakeFirst();
      return row && toRecord(row);
    },

    list: (tenantId: string, filter: AppointmentFilter, page: { limit: number; offset: number }) =>
      listAppointments(db, tenantId, filter, page),

    figures: (tenantId: string) => appointmentFigures(db, tenantId),

    listPlacedAround: (tenantId: string, from: string, to: string, status?: string) =>
      listPlacedAround(db, tenantId, from, to, status),

    listUntimed: (tenantId: string, limit: number) => listUntimed(db, tenantId, limit),

    async listForConversation(tenantId: string, conversationId: string): Promise<Appointment[]> {
      const rows = await scoped(tenantId)
        .selectAll()
        .where('conversation_id', '=', conversationId)
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      return rows.map(toRecord);
    },

    /** The contact's newest request still standing (not cancelled). */
    async latestOpenForContact(tenantId: string, contactId: string): Promise<Appointment | undefined> {
      const row = await scoped(tenantId)
        .selectAll()
        .where('contact_id', '=', contactId)
        .where('status', '!=', 'cancelled')
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirst();
      return row && toRecord(row);
    },

    async update(tenantId: string, id: string, change: AppointmentChange, updatedAt: string): Promise<void> {
      await db
        .updateTable('appointment_requests')
        .set({ ...toChangeRow(change), updated_at: updatedAt })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .execute();
    },

    reassignContact: (tenantId: string, fromContactId: string, toContactId: string) =>
      reassignContactRows(db, 'appointment_requests', tenantId, fromContactId, toContactId),
  };
}

export type AppointmentsRepo = ReturnType<typeof createAppointmentsRepo>;

/** A conversation's request: the CRM's booking fields stay empty until a dispatcher fills them. */
async function insertRequestRow(db: Db, tenantId: string, a: AppointmentRequest): Promise<void> {
  await db
    .insertInto('appointment_requests')
    .values((eb) => ({
      // A request is of its conversation's mode, which opened under a live or a test key.
      livemode: eb.fn.coalesce(
        eb
          .selectFrom('conversations')
          .select('livemode')
          .where('tenant_id', '=', tenantId)
          .where('id', '=', a.conversationId),
        eb.lit(true),
      ),
      ...startingColumns(tenantId, a),
      requested_start: a.requestedStart,
      requested_end: a.requestedEnd,
    }))
    .execute();
}

async function listAppointments(
  db: Db,
  tenantId: string,
  filter: AppointmentFilter,
  page: { limit: number; offset: number },
): Promise<{ rows: Appointment[]; total: number }> {
  let q = db.selectFrom('appointment_requests').where('tenant_id', '=', tenantId);
  if (filter.status) q = q.where('status', '=', filter.status);
  if (filter.contactId) q = q.where('contact_id', '=', filter.contactId);
  if (filter.isEmergency !== undefined) q = q.where('is_emergency', '=', filter.isEmergency ? 1 : 0);
  if (filter.technician) q = q.where('technician', '=', filter.technician);
  if (filter.startFrom) q = q.where('start_time', '>=', filter.startFrom);
  if (filter.startTo) q = q.where('start_time', '<=', filter.startTo);
  const { rows, total } = await pageWithTotal(q, (p) =>
    p.selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(page.limit).offset(page.offset).execute(),
  );
  return { rows: rows.map(toRecord), total };
}

/** Appointments per service type, with how many of each were emergencies. */
async function appointmentFigures(
  db: Db,
  tenantId: string,
): Promise<{ service: string | null; count: number; emergencies: number }[]> {
  const rows = await db
    .selectFrom('appointment_requests')
    .where('tenant_id', '=', tenantId)
    .select((eb) => [
      'service_type',
      eb.fn.countAll<number>().as('n'),
      eb.fn.sum<number>('is_emergency').as('emergencies'),
    ])
    .groupBy('service_type')
    .execute();
  return rows.map((r) => ({
    service: r.service_type ?? null,
    count: Number(r.n),
    emergencies: Number(r.emergencies ?? 0),
  }));
}

/**
 * Appointments whose start (else requested start) falls in [from, to), loosely: the bounds are
 * compared as text and a requested start carries the tenant's offset, not `Z`, so the caller
 * widens them by a day and places each row exactly.
 */
async function listPlacedAround(
  db: Db,
  tenantId: string,
  from: string,
  to: string,
  status?: string,
): Promise<Appointment[]> {
  let q = db
    .selectFrom('appointment_requests')
    .where('tenant_id', '=', tenantId)
    .where((eb) =>
      eb.or([
        eb.and([eb('start_time', '>=', from), eb('start_time', '<', to)]),
        eb.and([eb('start_time', 'is', null), eb('requested_start', '>=', from), eb('requested_start', '<', to)]),
      ]),
    );
  if (status) q = q.where('status', '=', status);
  const rows = await q.selectAll().orderBy('created_at').orderBy('id').limit(PLACED_LIMIT).execute();
  return rows.map(toRecord);
}

/** Open requests with neither a booked nor a requested start, newest first. */
async function listUntimed(db: Db, tenantId: string, limit: number): Promise<Appointment[]> {
  const rows = await db
    .selectFrom('appointment_requests')
    .where('tenant_id', '=', tenantId)
    .where('start_time', 'is', null)
    .where('requested_start', 'is', null)
    .where('status', 'in', ['requested', 'reschedule_requested'])
    .selectAll()
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map(toRecord);
}
