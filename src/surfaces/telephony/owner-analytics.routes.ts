import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  completeness,
  funnel,
  pipeline,
  serviceMix,
  timeToBook,
  type OwnerActivity,
} from '../../domain/analytics/index.js';
import { tenantOf } from '../../http/auth.js';
import { CRM_AUTH } from './crm.schemas.js';
import { errorResponses } from './errors.schemas.js';
import {
  completenessView,
  completenessViewOf,
  funnelView,
  funnelViewOf,
  pipelineView,
  pipelineViewOf,
  recentConversationsView,
  recentConversationsViewOf,
  serviceMixCsv,
  serviceMixView,
  serviceMixViewOf,
  timeToBookView,
  timeToBookViewOf,
  type Window,
} from './owner.views.js';
import type { TelephonyDeps } from './services.js';

export const ownerTags = ['telephony: owner'];

/** The schema of an owner route that answers one view and refuses only on its credentials. */
export const ownerRouteSchema = (summary: string, description: string, view: z.ZodType) => ({
  tags: ownerTags,
  summary,
  description,
  response: { 200: view, ...errorResponses(401, 403) },
  docs: { errors: [] },
});

export const daysQuery = z.object({ days: z.coerce.number().int().min(1).max(365).default(30) });
const recentQuery = daysQuery.extend({ limit: z.coerce.number().int().min(1).max(200).default(20) });
const listQuery = daysQuery.extend({ limit: z.coerce.number().int().min(1).max(500).default(50) });

/** One owner figure: its path and summary, its view, and how the view is made from the window's data. */
export interface OwnerFigure<D> {
  path: string;
  summary: string;
  view: z.ZodType;
  figure: (w: Window, data: D, limit: number) => unknown;
  /** A list: newest first, at most `limit` (50 by default, at most 500). */
  list?: true;
}

/** Registers each figure as `GET <path>?days=` (`&limit=` for lists), loading the window's data once a request. */
export function registerOwnerFigures<D>(
  scope: FastifyInstance,
  figures: OwnerFigure<D>[],
  describe: (summary: string) => string,
  load: (tenantId: string, days: number) => Promise<{ since: string; data: D }>,
): void {
  const app = scope.withTypeProvider<ZodTypeProvider>();
  for (const { path, summary, view, figure, list } of figures) {
    app.get(
      path,
      {
        schema: {
          tags: ownerTags,
          summary,
          description: `${describe(summary)}${list ? ' Newest first, at most `limit` (50 by default, at most 500).' : ''}`,
          querystring: list ? listQuery : daysQuery,
          response: { 200: view, ...errorResponses(401, 403, 422) },
          docs: { errors: [] },
        },
        config: { auth: CRM_AUTH },
      },
      async (request) => {
        const query = request.query as { days: number; limit?: number };
        const tenantId = tenantOf(request);
        const { since, data } = await load(tenantId, query.days);
        return figure(
          { tenantId, days: query.days, since },
          data,
          query.limit ?? listQuery.shape.limit.parse(undefined),
        );
      },
    );
  }
}

/** One owner export: a CSV file of the last `days` days, downloaded as `filename`. */
export interface OwnerCsv {
  path: string;
  summary: string;
  description: string;
  filename: string;
  csv: (request: FastifyRequest, days: number) => Promise<string>;
}

/** Registers an export as `GET <path>?days=`, answered as an attachment. */
export function registerOwnerCsv(
  scope: FastifyInstance,
  { path, summary, description, filename, csv }: OwnerCsv,
): void {
  scope.withTypeProvider<ZodTypeProvider>().get(
    path,
    {
      schema: {
        tags: ownerTags,
        summary,
        description,
        querystring: daysQuery,
        produces: ['text/csv'],
        response: { 200: z.string().describe('CSV, header line first'), ...errorResponses(401, 403, 422) },
        docs: { errors: [] },
      },
      config: { auth: CRM_AUTH },
    },
    async (request, reply) =>
      reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${filename}"`)
        .send(await csv(request, request.query.days)),
  );
}

/** The window figures: each over the appointments and conversations created in the last `days` days (30 by default). */
const FIGURES: OwnerFigure<OwnerActivity>[] = [
  {
    path: '/v1/owner/service-mix',
    summary: 'Appointments per service type, with their share and known value',
    view: serviceMixView,
    figure: (w, a) => serviceMixViewOf(w, serviceMix(a.appointments)),
  },
  {
    path: '/v1/owner/pipeline',
    summary: 'Appointments per status, with their known value',
    view: pipelineView,
    figure: (w, a) => pipelineViewOf(w, pipeline(a.appointments)),
  },
  {
    path: '/v1/owner/time-to-book',
    summary: "Minutes from a conversation's start to the appointment it asked for",
    view: timeToBookView,
    figure: (w, a) => timeToBookViewOf(w, timeToBook(a.appointments, a.conversations)),
  },
  {
    path: '/v1/owner/conversion-funnel',
    summary: 'Conversations, identified customers, appointment requests, bookings and completed jobs',
    view: funnelView,
    figure: (w, a) => funnelViewOf(w, funnel(a.appointments, a.conversations)),
  },
  {
    path: '/v1/owner/data-completeness',
    summary: 'How often appointments and conversations carry the fields a dispatcher needs',
    view: completenessView,
    figure: (w, a) => completenessViewOf(w, completeness(a.appointments, a.conversations)),
  },
];

const description = (what: string) =>
  `${what}, over the appointments and conversations created in the last \`days\` days (30 by default, at most 365). Test-mode rows never count.`;

async function activityOf(deps: TelephonyDeps, request: FastifyRequest, days: number) {
  const tenantId = tenantOf(request);
  const activity = await deps.services.ownerAnalytics.activity(tenantId, days);
  const window: Window = { tenantId, days, since: activity.since };
  return { window, activity };
}

/** Spec C's owner analytics and exports over the last `days` days of live appointments and conversations. */
export function registerOwnerAnalyticsRoutes(scope: FastifyInstance, deps: TelephonyDeps): void {
  registerOwnerFigures(scope, FIGURES, description, async (tenantId, days) => {
    const data = await deps.services.ownerAnalytics.activity(tenantId, days);
    return { since: data.since, data };
  });
  registerOwnerListRoutes(scope, deps);
}

function registerOwnerListRoutes(scope: FastifyInstance, deps: TelephonyDeps): void {
  const app = scope.withTypeProvider<ZodTypeProvider>();
  registerOwnerCsv(scope, {
    path: '/v1/owner/export/service-mix.csv',
    summary: 'Service mix as CSV',
    description: `${description('The service mix as CSV, one service type a line')}.`,
    filename: 'service-mix.csv',
    csv: async (request, days) => {
      const { window, activity } = await activityOf(deps, request, days);
      return serviceMixCsv(serviceMixViewOf(window, serviceMix(activity.appointments)));
    },
  });

  app.get(
    '/v1/owner/conversations/recent',
    {
      schema: {
        tags: ownerTags,
        summary: 'Recent conversations',
        description:
          'The conversations started in the last `days` days (30 by default), newest first, at most `limit` (20 by default, at most 200). Test-mode conversations are left out.',
        querystring: recentQuery,
        response: { 200: recentConversationsView, ...errorResponses(401, 403, 422) },
        docs: { errors: [] },
      },
      config: { auth: CRM_AUTH },
    },
    async (request) => {
      const { window, activity } = await activityOf(deps, request, request.query.days);
      return recentConversationsViewOf(window, activity.conversations.slice(0, request.query.limit));
    },
  );
}
