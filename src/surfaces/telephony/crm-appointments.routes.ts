import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppointmentChange } from '../../domain/appointments/index.js';
import { tenantOf } from '../../http/auth.js';
import {
  appointmentParams,
  appointmentView,
  createAppointmentBody,
  CRM_AUTH,
  customerParams,
  listAppointmentsQuery,
  pageQuery,
  toInstant,
  updateAppointmentBody,
} from './crm.schemas.js';
import { appointmentViewOf } from './crm.views.js';
import { errorResponses } from './errors.schemas.js';
import type { TelephonyDeps } from './services.js';

const tags = ['telephony: crm'];

/** The wire's snake_case fields as the appointments concept's change; absent fields stay as they are. */
function changeOf(body: z.infer<typeof updateAppointmentBody>): AppointmentChange {
  const instant = (v: string | null | undefined) => (v === null ? null : toInstant(v));
  return {
    status: body.status,
    startTime: instant(body.start_time),
    endTime: instant(body.end_time),
    serviceType: body.service_type,
    description: body.description,
    isEmergency: body.is_emergency,
    estimatedValue: body.estimated_value,
    technician: body.technician,
    tags: body.tags,
  };
}

/** Spec C's appointments: the same appointments a conversation requests, booked and dispatched through the CRM. */
export function registerCrmAppointmentRoutes(scope: FastifyInstance, deps: TelephonyDeps): void {
  registerAppointmentWrites(scope, deps);
  registerAppointmentReads(scope, deps);
}

function registerAppointmentWrites(scope: FastifyInstance, deps: TelephonyDeps): void {
  const app = scope.withTypeProvider<ZodTypeProvider>();
  const { appointments } = deps.services;

  app.post(
    '/v1/crm/appointments',
    {
      schema: {
        tags,
        summary: 'Book an appointment',
        description:
          "Books an appointment for one of the tenant's customers (`status` defaults to `scheduled`); a customer of another tenant answers 404.",
        body: createAppointmentBody,
        response: { 201: appointmentView, ...errorResponses(401, 403, 404, 413, 415, 422) },
      },
      config: { auth: CRM_AUTH },
    },
    async (request, reply) => {
      const tenantId = tenantOf(request);
      const { customer_id, ...rest } = request.body;
      const booked = await appointments.book(tenantId, { contactId: customer_id, ...changeOf(rest) });
      deps.metrics.increment('appointments_scheduled');
      return reply.code(201).send(appointmentViewOf(tenantId, booked));
    },
  );

  app.patch(
    '/v1/crm/appointments/:appointment_id',
    {
      schema: {
        tags,
        summary: 'Change an appointment',
        description:
          'Sets the fields the body names (status, emergency flag, estimated value, tags, technician, times, service); `null` clears an optional one.',
        params: appointmentParams,
        body: updateAppointmentBody,
        response: { 200: appointmentView, ...errorResponses(401, 403, 404, 413, 415, 422) },
      },
      config: { auth: CRM_AUTH },
    },
    async (request) => {
      const tenantId = tenantOf(request);
      const changed = await appointments.update(tenantId, request.params.appointment_id, changeOf(request.body));
      return appointmentViewOf(tenantId, changed);
    },
  );
}

function registerAppointmentReads(scope: FastifyInstance, deps: TelephonyDeps): void {
  const app = scope.withTypeProvider<ZodTypeProvider>();
  const { appointments, contacts } = deps.services;

  app.get(
    '/v1/crm/appointments',
    {
      schema: {
        tags,
        summary: 'List appointments',
        description:
          'Newest first, filtered by status, customer, emergency flag, technician and start time; the `X-Total-Count` header holds the total.',
        querystring: listAppointmentsQuery,
        response: { 200: z.array(appointmentView), ...errorResponses(401, 403, 422) },
      },
      config: { auth: CRM_AUTH },
    },
    async (request, reply) => {
      const tenantId = tenantOf(request);
      const q = request.query;
      const filter = {
        ...(q.status ? { status: q.status } : {}),
        ...(q.customer_id ? { contactId: q.customer_id } : {}),
        ...(q.is_emergency !== undefined ? { isEmergency: q.is_emergency } : {}),
        ...(q.technician ? { technician: q.technician } : {}),
        ...(q.start_from ? { startFrom: toInstant(q.start_from) } : {}),
        ...(q.start_to ? { startTo: toInstant(q.start_to) } : {}),
      };
      const { items, total } = await appointments.list(tenantId, filter, { limit: q.limit, offset: q.offset });
      void reply.header('x-total-count', String(total));
      return items.map((a) => appointmentViewOf(tenantId, a));
    },
  );

  app.get(
    '/v1/crm/appointments/:appointment_id',
    {
      schema: {
        tags,
        summary: 'Get an appointment',
        description: "One of the tenant's appointments; another tenant's id answers 404.",
        params: appointmentParams,
        response: { 200: appointmentView, ...errorResponses(401, 403, 404, 422) },
      },
      config: { auth: CRM_AUTH },
    },
    async (request) => {
      const tenantId = tenantOf(request);
      return appointmentViewOf(tenantId, await appointments.get(tenantId, request.params.appointment_id));
    },
  );

  app.get(
    '/v1/crm/customers/:customer_id/appointments',
    {
      schema: {
        tags,
        summary: "List a customer's appointments",
        description: "Newest first; an unknown customer (or another tenant's) answers 404.",
        params: customerParams,
        querystring: pageQuery,
        response: { 200: z.array(appointmentView), ...errorResponses(401, 403, 404, 422) },
      },
      config: { auth: CRM_AUTH },
    },
    async (request, reply) => {
      const tenantId = tenantOf(request);
      const customer = await contacts.get(tenantId, request.params.customer_id);
      const { items, total } = await appointments.list(tenantId, { contactId: customer.id }, request.query);
      void reply.header('x-total-count', String(total));
      return items.map((a) => appointmentViewOf(tenantId, a));
    },
  );
}
