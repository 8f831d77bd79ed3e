import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppDeps } from './services.js';
import { tenantWith } from './session.js';
import { leadTimelineView } from './lead-timeline.views.js';
import { leadDetailView, leadItemView } from './views.js';
import { conversationParams, leadListQuery } from './work.schemas.js';

const tags = ['app: leads'];

/** A bare date bound covers its whole day. */
const lower = (v: string | undefined) =>
  v === undefined ? undefined : v.length === 10 ? `${v}T00:00:00.000Z` : new Date(v).toISOString();
const upper = (v: string | undefined) =>
  v === undefined ? undefined : v.length === 10 ? `${v}T23:59:59.999Z` : new Date(v).toISOString();

/** One list over every lead of the tenant, whatever it came in through (calls, forms, chats, batches, campaigns). */
export function registerLeadRoutes(scope: FastifyInstance, deps: AppDeps): void {
  const app = scope.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/app/api/leads',
    {
      schema: {
        querystring: leadListQuery,
        tags,
        summary: "The tenant's leads",
        description: 'Newest first, filtered by tier, source, status and creation date (`from`, `to`: inclusive).',
        docs: { ok: { 200: '`{ data: { leads: [...], total } }`' }, errors: ['UNAUTHENTICATED', 'FORBIDDEN'] },
      },
      config: { appSession: 'required' },
    },
    async (request) => {
      const { tenantId } = tenantWith(request, 'leads:read');
      const q = request.query;
      const from = lower(q.from);
      const to = upper(q.to);
      const { leads, total } = await deps.services.leads.list(tenantId, {
        ...(q.tier ? { tier: q.tier } : {}),
        ...(q.source ? { source: q.source } : {}),
        ...(q.status ? { status: q.status } : {}),
        ...(from ? { from } : {}),
        ...(to ? { to } : {}),
        limit: q.limit,
        offset: q.offset,
      });
      return { data: { leads: leads.map(leadItemView), total } };
    },
  );
  registerLeadDetailRoute(app, deps);
  registerLeadTimelineRoute(app, deps);
}

function registerLeadDetailRoute(scope: FastifyInstance, deps: AppDeps): void {
  const app = scope.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/app/api/leads/:id',
    {
      schema: {
        params: conversationParams,
        tags,
        summary: 'One lead, with the signals behind its score',
        description:
          "The lead, the four parts of its score (company fit, intent, budget, urgency) each with what the engine read for it and its strength out of 100, and the latest conversation of the lead's person, when there is one.",
        docs: {
          ok: { 200: '`{ data: { ...lead, signals: [{ name, detail, points }], conversation_id } }`' },
          errors: ['UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND:lead'],
        },
      },
      config: { appSession: 'required' },
    },
    async (request) => {
      const { tenantId } = tenantWith(request, 'leads:read');
      const lead = await deps.services.leads.get(tenantId, request.params.id);
      const latest = lead.contactId
        ? await deps.services.conversationQuery.list(tenantId, {
            contactId: lead.contactId,
            sort: 'last_activity_desc',
            limit: 1,
            offset: 0,
          })
        : undefined;
      return { data: leadDetailView(lead, latest?.items[0]?.conversation.id ?? null) };
    },
  );
}

function registerLeadTimelineRoute(scope: FastifyInstance, deps: AppDeps): void {
  const app = scope.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/app/api/leads/:id/timeline',
    {
      schema: {
        params: conversationParams,
        tags,
        summary: "A lead's timeline and CRM sync state",
        description:
          "What happened to the lead, oldest first, from the rows every channel stored: the spec A requests that made or updated it, its creation, each scoring, the conversations of the lead's person (started, handed off, closed), their appointments (requested, booked, cancelled), its status changes and conversion outcome, and its CRM syncs; and the tenant's CRM with the lead's last sync.",
        docs: {
          ok: {
            200: '`{ data: { lead_id, timezone, events: [{ at, kind, text, ... }], crm: { provider, status, at, crm_record_id, error } } }`',
          },
          errors: ['UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND:lead'],
        },
      },
      config: { appSession: 'required' },
    },
    async (request) => {
      const { tenantId } = tenantWith(request, 'leads:read');
      const tenant = await deps.services.tenants.get(tenantId);
      const { lead, events, crm } = await deps.services.leads.timeline(
        tenantId,
        request.params.id,
        tenant.config.crm_config?.provider,
      );
      return { data: leadTimelineView(lead.id, tenant.timezone, events, crm) };
    },
  );
}
