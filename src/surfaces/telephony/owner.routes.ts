import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { tenantOf } from '../../http/auth.js';
import { businessView } from './admin.schemas.js';
import { businessViewOf } from './admin.views.js';
import { CRM_AUTH } from './crm.schemas.js';
import { errorResponses } from './errors.schemas.js';
import { ownerRouteSchema, registerOwnerAnalyticsRoutes } from './owner-analytics.routes.js';
import { registerOwnerMetricsRoutes } from './owner-metrics.routes.js';
import { registerOwnerPeopleRoutes } from './owner-people.routes.js';
import { registerOwnerAudioRoutes } from './owner-audio.routes.js';
import { todayOf, tomorrowOf } from './owner-day.js';
import { scheduleView, todaySummaryView, workloadView, workloadViewOf } from './owner.views.js';
import type { TelephonyDeps } from './services.js';

const workloadQuery = z.object({ days: z.coerce.number().int().min(1).max(60).default(7) });

/**
 * Spec C's owner dashboard (`/v1/owner/*`), for the tenant's API key or owner token as the CRM
 * takes them. Days are the business's calendar days in its time zone; test-mode rows never count.
 */
export function registerOwnerRoutes(scope: FastifyInstance, deps: TelephonyDeps): void {
  registerOwnerDayRoutes(scope, deps);
  registerOwnerAudioRoutes(scope, deps);
  registerOwnerAnalyticsRoutes(scope, deps);
  registerOwnerMetricsRoutes(scope, deps);
  registerOwnerPeopleRoutes(scope, deps);
}

function registerOwnerDayRoutes(scope: FastifyInstance, deps: TelephonyDeps): void {
  const app = scope.withTypeProvider<ZodTypeProvider>();
  const { ownerAnalytics, tenants } = deps.services;
  const zoneOf = async (tenantId: string) => (await tenants.get(tenantId)).timezone;
  const config = { auth: CRM_AUTH };

  app.get(
    '/v1/owner/schedule/tomorrow',
    {
      schema: ownerRouteSchema(
        "Tomorrow's schedule",
        "The appointments starting tomorrow, in the business's time zone, earliest first.",
        scheduleView,
      ),
      config,
    },
    async (request) => tomorrowOf(deps.services, tenantOf(request)),
  );

  app.get(
    '/v1/owner/summary/today',
    {
      schema: ownerRouteSchema(
        "Today's summary",
        "Today's appointments (in the business's time zone) with their emergencies, known value and statuses, and the conversations started today per channel.",
        todaySummaryView,
      ),
      config,
    },
    async (request) => todayOf(deps.services, tenantOf(request)),
  );

  app.get(
    '/v1/owner/workload/next',
    {
      schema: {
        ...ownerRouteSchema(
          'Workload of the coming days',
          'For today and each of the next `days` - 1 days (7 by default, at most 60): appointments, emergencies and known value.',
          workloadView,
        ),
        querystring: workloadQuery,
        response: { 200: workloadView, ...errorResponses(401, 403, 422) },
      },
      config,
    },
    async (request) => {
      const tenantId = tenantOf(request);
      const zone = await zoneOf(tenantId);
      return workloadViewOf(tenantId, zone, await ownerAnalytics.workload(tenantId, zone, request.query.days));
    },
  );

  app.get(
    '/v1/owner/business',
    {
      schema: ownerRouteSchema(
        'The business',
        'The business the credential belongs to: name, plan, status and time zone.',
        businessView,
      ),
      config,
    },
    async (request) => businessViewOf(await tenants.get(tenantOf(request))),
  );
}
