import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { forbidden } from '../../domain/errors.js';
import { monthOf } from '../../domain/usage/index.js';
import type { AppDeps } from './services.js';
import { signedInOf } from './session.js';

const tags = ['app: platform'];
/** The platform view shows the tenants a page at a time; 200 covers a small operator's whole list. */
const TENANT_PAGE = 200;
const DAY_SECONDS = 86_400;

/** The platform admin's view: every tenant with this month's usage, the platform's load and its health. */
export function registerPlatformRoutes(scope: FastifyInstance, deps: AppDeps): void {
  const app = scope.withTypeProvider<ZodTypeProvider>();
  const { tenants, usage, platformActivity, health } = deps.services;
  app.get(
    '/app/api/platform',
    {
      schema: {
        tags,
        summary: 'The platform view (admin session)',
        description:
          "Tenants with this month's usage counters, the last day's conversations and messages, and each health probe.",
        docs: {
          ok: { 200: '`{ data: { tenants: [{ id, name, status, plan, usage }], activity, health } }`' },
          errors: ['UNAUTHENTICATED', 'FORBIDDEN'],
        },
      },
      config: { appSession: 'required' },
    },
    async (request) => {
      if (signedInOf(request).kind !== 'admin') throw forbidden('Only the platform admin sees the platform view');
      const period = monthOf(deps.clock.now());
      const [list, activity, report] = await Promise.all([
        tenants.list({ limit: TENANT_PAGE, offset: 0 }),
        platformActivity.over(DAY_SECONDS),
        health.check(),
      ]);
      const rows = await Promise.all(
        list.tenants.map(async (t) => ({
          id: t.id,
          name: t.name,
          status: t.status,
          plan: t.plan,
          usage: await usage.get(t.id, period),
        })),
      );
      return {
        data: {
          tenants: rows,
          total_tenants: list.total,
          usage_period: period,
          activity: {
            active_conversations_24h: activity.activeConversations,
            messages_processed_24h: activity.messagesProcessed,
          },
          health: {
            status: report.status,
            probes: report.probes.map((p) => ({ name: p.name, status: p.status, reason: p.reason ?? p.error ?? null })),
          },
        },
      };
    },
  );
}
