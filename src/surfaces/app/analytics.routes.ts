import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { invalid } from '../../domain/errors.js';
import { zonedDate, zonedDay } from '../../lib/zoned-day.js';
import { analyticsQuery, defaultFrom, rangeIssue } from './analytics.schemas.js';
import type { AppDeps } from './services.js';
import { tenantWith } from './session.js';
import { rangeFiguresView } from './views.js';

const tags = ['app: analytics'];

/** The range asked for, its missing ends filled in the tenant's time zone: `to` today, `from` so that it holds 30 days. */
function localRange(query: { from?: string | undefined; to?: string | undefined }, now: Date, zone: string) {
  const to = query.to ?? zonedDay(now, zone).date;
  const from = query.from ?? defaultFrom(to);
  const problem = rangeIssue(from, to);
  if (problem) throw invalid([{ ...problem, location: 'query' }]);
  return { from, to };
}

/** The analytics page's figures of a range: the funnel, time to book, response times and costs. */
export function registerAnalyticsRoutes(scope: FastifyInstance, deps: AppDeps): void {
  const app = scope.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/app/api/analytics',
    {
      schema: {
        querystring: analyticsQuery,
        tags,
        summary: "The figures of the tenant's leads, conversations and costs over a range",
        description:
          "`from` and `to` are local dates in the tenant's time zone, both included (default: the last 30 days; at most 366). Leads of every channel created in the range: how many were qualified (WARM or HOT), asked for an appointment and booked one (or were won); minutes from a lead's first contact to its booking; seconds from a visitor's message to the bot's or a person's reply; what scoring (AI) and transcription (STT) cost, in total and per lead. Medians and 90th percentiles are null when nothing was measured.",
        docs: {
          ok: {
            200: '`{ data: { range: { from, to, timezone }, funnel, time_to_book_minutes, response_seconds: { bot, human }, costs } }`',
          },
          errors: ['UNAUTHENTICATED', 'FORBIDDEN'],
        },
      },
      config: { appSession: 'required' },
    },
    async (request) => {
      const { tenantId } = tenantWith(request, 'leads:read');
      const zone = (await deps.services.tenants.get(tenantId)).timezone;
      const { from, to } = localRange(request.query, deps.clock.now(), zone);
      const figures = await deps.services.rangeAnalytics.figures(tenantId, {
        from: zonedDate(from, zone).start.toISOString(),
        to: zonedDate(to, zone).end.toISOString(),
      });
      return { data: rangeFiguresView({ from, to, timezone: zone }, figures) };
    },
  );
}
