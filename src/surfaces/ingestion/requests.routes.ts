import type { FastifyInstance, FastifySchema } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { IngestionDeps } from './services.js';
import { REQUEST_STATUSES, SOURCE_TYPES } from '../../domain/calls/index.js';
import { registerExportRoutes } from './exports.routes.js';
import { registerIngestionTenantRoutes } from './tenants.routes.js';
import {
  MANAGEMENT,
  dateParam,
  ok,
  paginationOf,
  requestDetailView,
  requestSummaryView,
  tenantActor,
  tenantParams,
} from './views.js';

const tags = ['ingestion: management'];
const requestParams = tenantParams.extend({ request_id: z.string().min(1).max(64) });

const listQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20).describe('Number of results (1-100)'),
  offset: z.coerce.number().int().min(0).default(0).describe('Pagination offset'),
  status: z.enum(REQUEST_STATUSES).optional(),
  source: z.enum(SOURCE_TYPES).optional(),
  start_date: dateParam.optional().describe('Created on or after this day (UTC)'),
  end_date: dateParam.optional().describe('Created on or before this day (UTC), the whole day included'),
  sort: z.enum(['created_at', 'updated_at', 'processing_time']).default('created_at'),
  order: z.enum(['asc', 'desc']).default('desc'),
});

const updateBody = z
  .strictObject({
    status: z.enum(REQUEST_STATUSES).optional(),
    error_message: z.string().max(2000).nullable().optional(),
    retry_scheduled: z.boolean().optional().describe('true queues a retry at retry_at, or now without one'),
    retry_at: z.iso.datetime({ offset: true }).optional(),
  })
  .refine(
    (b) => Object.keys(b).length > 0,
    'must contain at least one of status, error_message, retry_scheduled, retry_at',
  );

const listSchema = {
  params: tenantParams,
  querystring: listQuery,
  tags,
  summary: 'List requests (spec A)',
  description:
    "The tenant's ingestion requests (calls and leads), newest first by default, filtered by status, source and creation day, with offset pagination.",
  docs: {
    ok: {
      200: '`{ success, data: { requests: [...], pagination: { total, limit, offset, has_more } }, request_id }`',
    },
    errors: ['NOT_FOUND:tenant'],
  },
} satisfies FastifySchema;

const getSchema = {
  params: requestParams,
  tags,
  summary: 'Get request details (spec A)',
  description:
    'One request with its original payload, the pipeline steps run on it (status, timings, errors) and the resulting lead, score and CRM record.',
  docs: {
    ok: { 200: '`{ success, data: <request>, request_id }`' },
    errors: ['NOT_FOUND:tenant', 'NOT_FOUND:request'],
  },
} satisfies FastifySchema;

const updateSchema = {
  params: requestParams,
  body: updateBody,
  tags,
  summary: 'Update request status (spec A; admin key or a credential with the write scope)',
  description:
    'Sets the status or error message of a request by hand, or schedules a retry of its pipeline (`retry_scheduled`, at `retry_at` or now) from its first step that is not done. A retry of a request with no step left to run (a completed one) is refused whole with 409 CONFLICT. Recorded in the audit log.',
  docs: {
    example: {
      status: 'failed',
      error_message: 'CRM integration timeout',
      retry_scheduled: true,
      retry_at: '2025-09-13T15:00:00Z',
    },
    ok: { 200: 'The updated request: `{ success, data: <request>, request_id }`' },
    errors: ['NOT_FOUND:tenant', 'NOT_FOUND:request', 'CONFLICT'],
  },
} satisfies FastifySchema;

/** Spec A's Management API and Tenant Administration, all under /v1/tenants/{tenant_id}. */
export function registerManagementRoutes(scope: FastifyInstance, deps: IngestionDeps): void {
  registerRequestRoutes(scope, deps);
  registerExportRoutes(scope, deps);
  registerIngestionTenantRoutes(scope, deps);
}

/** Requests: list, details, manual status change. */
function registerRequestRoutes(scope: FastifyInstance, deps: IngestionDeps): void {
  const app = scope.withTypeProvider<ZodTypeProvider>();
  const { ingestionRequests, tenants } = deps.services;

  app.get(
    '/v1/tenants/:tenant_id/requests',
    {
      schema: listSchema,
      config: { auth: MANAGEMENT },
    },
    async (request) => {
      const tenantId = request.params.tenant_id;
      tenantActor(request, tenantId, 'read');
      await tenants.get(tenantId);
      const { start_date: startDate, end_date: endDate, ...q } = request.query;
      const { requests, total } = await ingestionRequests.list(tenantId, {
        ...q,
        ...(startDate !== undefined ? { startDate } : {}),
        ...(endDate !== undefined ? { endDate } : {}),
      });
      return ok(request, {
        requests: requests.map(requestSummaryView),
        pagination: paginationOf(total, q.limit, q.offset),
      });
    },
  );

  app.get(
    '/v1/tenants/:tenant_id/requests/:request_id',
    {
      schema: getSchema,
      config: { auth: MANAGEMENT },
    },
    async (request) => {
      const { tenant_id: tenantId, request_id: requestId } = request.params;
      tenantActor(request, tenantId, 'read');
      await tenants.get(tenantId);
      return ok(request, requestDetailView(await ingestionRequests.get(tenantId, requestId)));
    },
  );

  app.patch(
    '/v1/tenants/:tenant_id/requests/:request_id',
    {
      schema: updateSchema,
      config: { auth: MANAGEMENT },
    },
    async (request) => {
      const { tenant_id: tenantId, request_id: requestId } = request.params;
      const actor = tenantActor(request, tenantId, 'write');
      await tenants.get(tenantId);
      const { status, error_message: errorMessage, retry_scheduled: retryScheduled, retry_at: retryAt } = request.body;
      const updated = await ingestionRequests.update(actor, tenantId, requestId, {
        ...(status !== undefined ? { status } : {}),
        ...(errorMessage !== undefined ? { errorMessage } : {}),
        ...(retryScheduled !== undefined ? { retryScheduled } : {}),
        ...(retryAt !== undefined ? { retryAt } : {}),
      });
      return ok(request, requestDetailView(updated));
    },
  );
}
