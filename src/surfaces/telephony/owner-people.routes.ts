import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  awaitingFollowup,
  callbackRequests,
  customerFigures,
  messageReturns,
  neighborhoods,
  reviewReasons,
  serviceEconomics,
  type PeopleActivity,
} from '../../domain/analytics/index.js';
import { tenantOf } from '../../http/auth.js';
import { CRM_AUTH } from './crm.schemas.js';
import { errorResponses } from './errors.schemas.js';
import { ownerTags, registerOwnerCsv, registerOwnerFigures, type OwnerFigure } from './owner-analytics.routes.js';
import {
  callbacksView,
  callbacksViewOf,
  conversationsCsv,
  customerAnalyticsView,
  customerAnalyticsViewOf,
  followupsView,
  followupsViewOf,
  neighborhoodsView,
  neighborhoodsViewOf,
  reschedulesView,
  reschedulesViewOf,
  retentionView,
  retentionViewOf,
  reviewView,
  reviewViewOf,
  serviceEconomicsView,
  serviceEconomicsViewOf,
} from './owner-people.views.js';
import type { TelephonyDeps } from './services.js';

const limitQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(50) });

const ACROSS =
  'over the appointments, conversations (voice, SMS, chat, widget and every messaging channel) and leads (web forms included) created in the last `days` days (30 by default, at most 365); test-mode rows never count';

const FIGURES: OwnerFigure<PeopleActivity>[] = [
  {
    path: '/v1/owner/customers/analytics',
    summary: 'Customers: how many, new, returning and repeat, per channel, and the top ten',
    view: customerAnalyticsView,
    figure: (w, p) => customerAnalyticsViewOf(w, customerFigures(p)),
  },
  {
    path: '/v1/owner/service-economics',
    summary: 'Per service type: appointments, completed and cancelled, emergencies, known and average value',
    view: serviceEconomicsView,
    figure: (w, p) => serviceEconomicsViewOf(w, serviceEconomics(p.appointments)),
  },
  {
    path: '/v1/owner/neighborhoods',
    summary: "Appointments, customers and known value per neighborhood (the customer's ZIP code, else town)",
    view: neighborhoodsView,
    figure: (w, p) => neighborhoodsViewOf(w, neighborhoods(p.appointments, p.customers)),
  },
  {
    path: '/v1/owner/followups',
    summary: 'Lead follow-ups sent, the customers who booked after one, and conversations still awaiting one',
    view: followupsView,
    figure: (w, p) => followupsViewOf(w, messageReturns('followup', p), awaitingFollowup(p)),
  },
  {
    path: '/v1/owner/retention',
    summary: 'Retention messages sent and the past customers who booked again after one',
    view: retentionView,
    figure: (w, p) => retentionViewOf(w, messageReturns('retention', p)),
  },
  {
    path: '/v1/owner/conversations/review',
    summary: 'Conversations to review: flagged, with a negative outcome or sentiment, or handed to a person',
    view: reviewView,
    figure: (w, p, limit) =>
      reviewViewOf(w, p.conversations.filter((c) => reviewReasons(c).length > 0).slice(0, limit)),
    list: true,
  },
  {
    path: '/v1/owner/callbacks',
    summary:
      'Callbacks requested: conversations that took the details and promised a call back, with no appointment asked for',
    view: callbacksView,
    figure: (w, p, limit) => callbacksViewOf(w, callbackRequests(p.conversations).slice(0, limit)),
    list: true,
  },
];

/** Spec C's owner figures about customers and the owner's lists of conversations and appointments to act on. */
export function registerOwnerPeopleRoutes(scope: FastifyInstance, deps: TelephonyDeps): void {
  registerOwnerFigures(
    scope,
    FIGURES,
    (summary) => `${summary}, ${ACROSS}.`,
    async (tenantId, days) => {
      const data = await deps.services.ownerAnalytics.people(tenantId, days);
      return { since: data.since, data };
    },
  );
  registerOwnerPeopleLists(scope, deps);
}

function registerOwnerPeopleLists(scope: FastifyInstance, deps: TelephonyDeps): void {
  const app = scope.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/v1/owner/reschedules',
    {
      schema: {
        tags: ownerTags,
        summary: 'Appointments whose customer asked to reschedule',
        description:
          'Live appointments whose status is `reschedule_requested` now (the customer answered RESCHEDULE by SMS, or the CRM set it), the most recently asked first, at most `limit` (50 by default, at most 500). `requested_at` is when the status last changed.',
        querystring: limitQuery,
        response: { 200: reschedulesView, ...errorResponses(401, 403, 422) },
        docs: { errors: [] },
      },
      config: { auth: CRM_AUTH },
    },
    async (request) => {
      const tenantId = tenantOf(request);
      return reschedulesViewOf(tenantId, await deps.services.ownerAnalytics.reschedules(tenantId, request.query.limit));
    },
  );

  registerOwnerCsv(scope, {
    path: '/v1/owner/export/conversations.csv',
    summary: 'Conversations as CSV',
    description: `Every conversation started in the last \`days\` days (30 by default, at most 365) on any channel, one a line, newest first: channel, status, customer, lead, messages, sentiment and QA review. Test-mode conversations never count.`,
    filename: 'conversations.csv',
    csv: async (request, days) =>
      conversationsCsv((await deps.services.ownerAnalytics.activity(tenantOf(request), days)).conversations),
  });
}
