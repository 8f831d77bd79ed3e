import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { modeOf, tenantOf } from '../../http/auth.js';
import { errorResponses } from './errors.schemas.js';
import {
  REMINDERS_AUTH,
  retentionBody,
  retentionExample,
  retentionQuery,
  runReport,
  upcomingQuery,
} from './reminders.schemas.js';
import { runReportView } from './reminders.views.js';
import type { TelephonyDeps } from './services.js';

const tags = ['telephony: reminders'];
const config = { auth: REMINDERS_AUTH };
const once =
  'A test key reaches only what test conversations collected. Each message is claimed before it is sent, so a second run (or one in another process) answers it as `already_sent`. ' +
  'Opted-out numbers are never messaged; outside `compliance.allowed_hours` a message is held until the window opens.';

/** Spec C's reminders and retention runs, on demand; the schedule runs the same ones. */
export function registerReminderRoutes(scope: FastifyInstance, deps: TelephonyDeps): void {
  const app = scope.withTypeProvider<ZodTypeProvider>();
  const { reminders } = deps.services;

  app.post(
    '/v1/reminders/send-upcoming',
    {
      schema: {
        tags,
        summary: 'Send reminders of upcoming appointments',
        description: `SMS to each customer with a scheduled or confirmed appointment starting within \`hours_ahead\` hours. ${once}`,
        querystring: upcomingQuery,
        response: { 200: runReport, ...errorResponses(401, 403, 422) },
      },
      config,
    },
    async (request) => {
      const tenantId = tenantOf(request);
      return runReportView(
        tenantId,
        await reminders.sendUpcoming(tenantId, modeOf(request), request.query.hours_ahead),
      );
    },
  );

  app.post(
    '/v1/reminders/send-followups',
    {
      schema: {
        tags,
        summary: 'Send follow-ups to leads without a booking',
        description: `SMS to each customer with a phone who wrote in the last seven days (but not the last hour) and has no appointment, once per customer. ${once}`,
        response: { 200: runReport, ...errorResponses(401, 403) },
      },
      config,
    },
    async (request) => {
      const tenantId = tenantOf(request);
      return runReportView(tenantId, await reminders.sendFollowups(tenantId, modeOf(request)));
    },
  );

  app.post(
    '/v1/retention/send-retention',
    {
      schema: {
        tags,
        summary: 'Send retention messages to past customers',
        description: `SMS to each customer whose last completed visit is at least \`min_days_since_last_visit\` days ago (body or query) and who has nothing booked ahead, once per last visit. ${once}`,
        querystring: retentionQuery,
        body: retentionBody,
        response: { 200: runReport, ...errorResponses(401, 403, 413, 415, 422) },
        docs: { example: retentionExample },
      },
      config,
    },
    async (request) => {
      const tenantId = tenantOf(request);
      const days = request.body?.min_days_since_last_visit ?? request.query.min_days_since_last_visit;
      return runReportView(tenantId, await reminders.sendRetention(tenantId, modeOf(request), days));
    },
  );
}
