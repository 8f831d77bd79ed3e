import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { QualifierDeps } from './services.js';
import { modeOf, tenantOf } from '../../http/auth.js';
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

/** Spec E: qualify one lead, batches, analytics, CRM sync; plus the outcome route conversion rates need. */
export function registerQualifyRoutes(scope: FastifyInstance, deps: QualifierDeps): void {
  const app = scope.withTypeProvider<ZodTypeProvider>();
  const { leads, batches, tenants, leadAnalytics, crm, webhooks } = deps.services;

  app.post('/api/qualify', { schema: { body: qualifyLeadSchema, tags }, config: { auth: TENANT } }, async (request) => {
    const q = await leads.qualify(tenantOf(request), modeOf(request), request.body);
    return qualificationView(q.leadId, q.analysis, q.processingTimeMs, q.createdAt);
  });

  app.get(
    '/api/qualify/:lead_id',
    { schema: { params: leadParams, tags }, config: { auth: TENANT } },
    async (request) => {
      const tenantId = tenantOf(request);
      const lead = await leads.get(tenantId, request.params.lead_id);
      const history = await leads.scoreHistory(tenantId, lead.id);
      return leadView(lead, history);
    },
  );

  app.post(
    '/api/qualify/:lead_id/outcome',
    { schema: { params: leadParams, body: outcomeSchema, tags }, config: { auth: TENANT } },
    async (request) => {
      const lead = await leads.setOutcome(tenantOf(request), request.params.lead_id, request.body.outcome);
      return outcomeView(lead);
    },
  );

  app.post(
    '/api/batch/qualify',
    { schema: { body: batchQualifySchema, tags }, config: { auth: TENANT } },
    async (request, reply) => {
      const tenantId = tenantOf(request);
      const tenant = await tenants.get(tenantId);
      // Refused now, not when the batch finishes: a callback that can never be sent is a silent loss.
      if (request.body.webhook_url) await webhooks.validateUrl(request.body.webhook_url, 'webhook_url');
      const b = await batches.create(tenantId, modeOf(request), tenant.plan, request.body);
      return reply.code(202).send(batchAcceptedView(b));
    },
  );

  app.get(
    '/api/batch/:batch_id/status',
    { schema: { params: batchParams, tags }, config: { auth: TENANT } },
    async (request) => {
      return batchStatusView(await batches.status(tenantOf(request), request.params.batch_id));
    },
  );

  app.get(
    '/api/analytics',
    { schema: { querystring: analyticsQuery, tags }, config: { auth: TENANT } },
    async (request) => {
      const { period, group_by: groupBy } = request.query;
      const facts = await leadAnalytics.qualifications(tenantOf(request), ANALYTICS_PERIODS[period], groupBy);
      return qualificationAnalyticsView(period, groupBy, facts);
    },
  );

  app.post('/api/crm/sync', { schema: { body: crmSyncSchema, tags }, config: { auth: TENANT } }, async (request) => {
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
