import type { FastifyInstance, FastifySchema } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { QualifierDeps } from './services.js';
import { actorOf, modeOf, tenantOf } from '../../http/auth.js';
import {
  analyticsQuery,
  batchParams,
  batchQualifySchema,
  crmSyncSchema,
  leadParams,
  outcomeSchema,
  qualifyLeadSchema,
} from './schemas.js';
import {
  ANALYTICS_PERIODS,
  batchAcceptedView,
  batchStatusView,
  leadView,
  outcomeView,
  qualificationAnalyticsView,
  qualificationView,
} from './views.js';

const TENANT = { allow: ['tenant-key', 'admin'] } as const;
const tags = ['qualifier'];

const qualifySchema = {
  body: qualifyLeadSchema,
  tags,
  summary: 'Qualify a lead (spec E)',
  description:
    "Scores one lead from its e-mail, company and message: intent, entities, sentiment, a 0-100 score with its tier and the reasons behind it. The lead is stored, and the tenant's outbound webhooks are sent.",
  docs: {
    example: {
      email: 'dana@whitfield-builders.com',
      company: 'Whitfield Builders',
      name: 'Dana Whitfield',
      message: 'We need a quote for 40 new windows before March; budget is about $60k.',
      phone: '+15125550142',
    },
    ok: { 200: 'The qualification: `{ id, score, tier, reasoning, recommended_action, … }`' },
    errors: ['UPSTREAM_AI'],
  },
} satisfies FastifySchema;

const leadSchema = {
  params: leadParams,
  tags,
  summary: 'Get a qualified lead (spec E)',
  description: 'The lead as last qualified, with the history of its scores.',
  docs: { ok: { 200: 'The lead with `score_history`' }, errors: ['NOT_FOUND:lead'] },
} satisfies FastifySchema;

const outcomeRouteSchema = {
  params: leadParams,
  body: outcomeSchema,
  tags,
  summary: "Record a lead's outcome",
  description: 'Marks the lead won, lost or open; the conversion rates of /api/analytics are computed from these.',
  docs: { example: { outcome: 'won' }, ok: { 200: 'The lead id and its outcome' }, errors: ['NOT_FOUND:lead'] },
} satisfies FastifySchema;

const batchSchema = {
  body: batchQualifySchema,
  tags,
  summary: 'Qualify leads in a batch (spec E)',
  description:
    "Queues up to the plan's batch size of leads and answers 202 at once; each lead is validated when the batch runs, so one bad lead fails alone. `webhook_url` is called when the batch completes. A batch over the plan's size can never be accepted and is a 400 naming the limit; one over the plan's concurrent batches is a 429 with `Retry-After`.",
  docs: {
    example: {
      leads: [
        { email: 'dana@whitfield-builders.com', company: 'Whitfield Builders', message: 'Quote for 40 windows' },
        { email: 'sam@northpeak.io', company: 'Northpeak' },
      ],
      webhook_url: 'https://crm.example.com/hooks/batches',
      priority: 'normal',
    },
    ok: { 202: 'Accepted: `{ batch_id, total_leads, status, estimated_completion_seconds, status_url }`' },
    errors: ['QUOTA_EXCEEDED'],
  },
} satisfies FastifySchema;

const batchStatusSchema = {
  params: batchParams,
  tags,
  summary: 'Status of a batch (spec E)',
  description: "Progress of a batch, and each lead's result once the batch has completed.",
  docs: {
    ok: { 200: "The batch's status and counts, with each lead's result once done" },
    errors: ['NOT_FOUND:batch'],
  },
} satisfies FastifySchema;

const analyticsSchema = {
  querystring: analyticsQuery,
  tags,
  summary: 'Qualification analytics (spec E)',
  description:
    'Leads qualified over the period by tier, source and time bucket, with average scores and conversion rates.',
  docs: { ok: { 200: 'The figures of the period, grouped by `group_by`' } },
} satisfies FastifySchema;

const crmSyncRouteSchema = {
  body: crmSyncSchema,
  tags,
  summary: 'Sync a lead to the CRM (spec E)',
  description:
    "Creates or updates the lead's contact (and deal) in the tenant's HubSpot or Salesforce; the vendor's refusal comes back as a 502 with its message.",
  docs: {
    example: { lead_id: 'lead_01JEXAMPLE00000000000000', crm: 'hubspot', owner_email: 'owner@example.com' },
    ok: { 200: '`{ success, sync_id, lead_id, crm, crm_record_id, contact_id, deal_id, record_url, created, … }`' },
    errors: ['NOT_FOUND:lead', 'UPSTREAM_CRM'],
  },
} satisfies FastifySchema;

/** Spec E: qualify one lead, batches, analytics, CRM sync; plus the outcome route conversion rates need. */
export function registerQualifyRoutes(scope: FastifyInstance, deps: QualifierDeps): void {
  const app = scope.withTypeProvider<ZodTypeProvider>();
  const { leads, batches, tenants, leadAnalytics, crm, webhooks } = deps.services;

  app.post('/api/qualify', { schema: qualifySchema, config: { auth: TENANT } }, async (request) => {
    const q = await leads.qualify(tenantOf(request), modeOf(request), request.body);
    return qualificationView(q.leadId, q.analysis, q.processingTimeMs, q.createdAt);
  });

  app.get('/api/qualify/:lead_id', { schema: leadSchema, config: { auth: TENANT } }, async (request) => {
    const tenantId = tenantOf(request);
    const lead = await leads.get(tenantId, request.params.lead_id);
    const history = await leads.scoreHistory(tenantId, lead.id);
    return leadView(lead, history);
  });

  app.post(
    '/api/qualify/:lead_id/outcome',
    { schema: outcomeRouteSchema, config: { auth: TENANT } },
    async (request) => {
      const lead = await leads.setOutcome(
        actorOf(request),
        tenantOf(request),
        request.params.lead_id,
        request.body.outcome,
      );
      return outcomeView(lead);
    },
  );

  app.post('/api/batch/qualify', { schema: batchSchema, config: { auth: TENANT } }, async (request, reply) => {
    const tenantId = tenantOf(request);
    const tenant = await tenants.get(tenantId);
    // Refused now, not when the batch finishes: a callback that can never be sent is a silent loss.
    if (request.body.webhook_url) await webhooks.validateUrl(request.body.webhook_url, 'webhook_url');
    const b = await batches.create(tenantId, modeOf(request), tenant.plan, request.body);
    return reply.code(202).send(batchAcceptedView(b));
  });

  app.get('/api/batch/:batch_id/status', { schema: batchStatusSchema, config: { auth: TENANT } }, async (request) => {
    return batchStatusView(await batches.status(tenantOf(request), request.params.batch_id));
  });

  app.get('/api/analytics', { schema: analyticsSchema, config: { auth: TENANT } }, async (request) => {
    const { period, group_by: groupBy } = request.query;
    const facts = await leadAnalytics.qualifications(tenantOf(request), ANALYTICS_PERIODS[period], groupBy);
    return qualificationAnalyticsView(period, groupBy, facts);
  });

  app.post('/api/crm/sync', { schema: crmSyncRouteSchema, config: { auth: TENANT } }, async (request) => {
    const tenantId = tenantOf(request);
    const lead = await leads.get(tenantId, request.body.lead_id);
    const r = await crm.syncLead(tenantId, lead, {
      crm: request.body.crm,
      pipelineId: request.body.pipeline_id,
      ownerEmail: request.body.owner_email,
    });
    return {
      success: true,
      sync_id: r.id,
      lead_id: lead.id,
      crm: r.crm,
      crm_record_id: r.recordId,
      contact_id: r.result?.contactId ?? null,
      deal_id: r.result?.dealId ?? null,
      crm_lead_id: r.result?.leadId ?? null,
      owner_id: r.result?.ownerId ?? null,
      record_url: r.result?.url ?? null,
      created: r.result?.created ?? false,
      sync_time_ms: r.syncTimeMs,
      synced_at: r.syncedAt,
    };
  });
}
