import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { appointmentParams, appointmentRangeQuery, cancelBody, rescheduleBody } from './appointments.schemas.js';
import { appointmentView } from './appointments.views.js';
import type { AppDeps } from './services.js';
import { tenantWith } from './session.js';

const tags = ['app: appointments'];
const SESSION = { appSession: 'required' } as const;
/** Appointments come out of conversations, so whoever reads conversations reads them and whoever works them books them. */
const READ = 'conversations:read';
const WRITE = 'conversations:write';
const ACTION_ERRORS = ['UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND:appointment', 'CONFLICT'] as const;
const ACTION_OK = { 200: 'The appointment after the action: `{ data: <appointment> }`' };

/** The calendar of requested and booked appointments, and what the front desk does with one. */
export function registerAppointmentRoutes(scope: FastifyInstance, deps: AppDeps): void {
  const app = scope.withTypeProvider<ZodTypeProvider>();
  const { appointments } = deps.services;
  app.get(
    '/app/api/appointments',
    {
      schema: {
        querystring: appointmentRangeQuery,
        tags,
        summary: 'Appointments between two dates',
        description:
          "The appointments whose booked start, else requested start, falls on the local dates `from`..`to` (inclusive, at most 42 days) in the tenant's time zone (`general.timezone`), earliest first; and `untimed`, the open requests no time could be read for.",
        docs: {
          ok: { 200: '`{ data: { timezone, from, to, appointments: [...], untimed: [...] } }`' },
          errors: ['UNAUTHENTICATED', 'FORBIDDEN'],
        },
      },
      config: SESSION,
    },
    async (request) => {
      const { tenantId } = tenantWith(request, READ);
      const q = request.query;
      const agenda = await appointments.agenda(tenantId, q);
      return {
        data: {
          timezone: agenda.timezone,
          from: q.from,
          to: q.to,
          appointments: agenda.entries.map(appointmentView),
          untimed: agenda.untimed.map(appointmentView),
        },
      };
    },
  );
  registerAppointmentActions(scope, deps);
}

function registerAppointmentActions(scope: FastifyInstance, deps: AppDeps): void {
  const app = scope.withTypeProvider<ZodTypeProvider>();
  const { appointments } = deps.services;
  const answer = async (tenantId: string, id: string) => ({
    data: appointmentView(await appointments.entry(tenantId, id)),
  });

  app.post(
    '/app/api/appointments/:id/confirm',
    {
      schema: {
        params: appointmentParams,
        tags,
        summary: 'Confirm an appointment',
        description:
          'Books its time: the booked start, else the exact time the customer asked for. A cancelled, completed or already confirmed appointment, one with only a window ("tomorrow morning") and one whose time has passed answer 409.',
        docs: { ok: ACTION_OK, errors: ACTION_ERRORS },
      },
      config: SESSION,
    },
    async (request) => {
      const { tenantId } = tenantWith(request, WRITE);
      await appointments.confirm(tenantId, request.params.id);
      return answer(tenantId, request.params.id);
    },
  );
  app.post(
    '/app/api/appointments/:id/reschedule',
    {
      schema: {
        params: appointmentParams,
        body: rescheduleBody,
        tags,
        summary: 'Move an appointment',
        description:
          'Sets a new start (in the future, else 400 naming `start`), keeping its length; it is then `scheduled` until confirmed. A cancelled or completed appointment answers 409.',
        docs: { example: { start: '2026-12-08T09:30:00-08:00' }, ok: ACTION_OK, errors: ACTION_ERRORS },
      },
      config: SESSION,
    },
    async (request) => {
      const { tenantId } = tenantWith(request, WRITE);
      await appointments.reschedule(tenantId, request.params.id, new Date(request.body.start));
      return answer(tenantId, request.params.id);
    },
  );
  app.post(
    '/app/api/appointments/:id/cancel',
    {
      schema: {
        params: appointmentParams,
        body: cancelBody,
        tags,
        summary: 'Cancel an appointment',
        description: 'With an optional reason; a cancelled or completed appointment answers 409.',
        docs: { example: { reason: 'The customer fixed it themselves' }, ok: ACTION_OK, errors: ACTION_ERRORS },
      },
      config: SESSION,
    },
    async (request) => {
      const { tenantId } = tenantWith(request, WRITE);
      await appointments.cancel(tenantId, request.params.id, request.body.reason ?? null);
      return answer(tenantId, request.params.id);
    },
  );
}
