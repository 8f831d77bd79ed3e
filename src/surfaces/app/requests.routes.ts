import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { CallRequestDetail } from '../../domain/calls/index.js';
import { AppError } from '../../domain/errors.js';
import { actorOf } from './actor.js';
import type { AppDeps } from './services.js';
import { tenantWith } from './session.js';
import { requestListQuery, requestParams } from './requests.schemas.js';
import { requestDetailView, requestItemView } from './requests.views.js';

const tags = ['app: requests'];
const SESSION = { appSession: 'required' } as const;
/** Requests are how calls and forms become leads, so whoever reads leads reads them. */
const READ = 'leads:read';
/** A retry spends the tenant's money again (transcription, AI, CRM writes): owners and admins only. */
const RETRY = 'leads:write';

/** The request with the lead it produced; a lead deleted since reads as none. */
async function withLead(deps: AppDeps, tenantId: string, detail: CallRequestDetail) {
  const lead = detail.leadId
    ? await deps.services.leads.get(tenantId, detail.leadId).catch((err: unknown) => {
        if (err instanceof AppError && err.code === 'NOT_FOUND') return null;
        throw err;
      })
    : null;
  return requestDetailView(detail, lead);
}

/** Spec A's requests (calls and forms on their way to leads) for the people of the tenant: the list, one request's step timeline, and a retry. */
export function registerRequestRoutes(scope: FastifyInstance, deps: AppDeps): void {
  const app = scope.withTypeProvider<ZodTypeProvider>();
  const { ingestionRequests } = deps.services;
  app.get(
    '/app/api/requests',
    {
      schema: {
        querystring: requestListQuery,
        tags,
        summary: "The tenant's ingestion requests",
        description:
          'Spec A’s calls and form leads, newest first, filtered by status and creation date (`from`, `to`: inclusive; a bare date is its whole UTC day).',
        docs: { ok: { 200: '`{ data: { requests: [...], total } }`' }, errors: ['UNAUTHENTICATED', 'FORBIDDEN'] },
      },
      config: SESSION,
    },
    async (request) => {
      const { tenantId } = tenantWith(request, READ);
      const q = request.query;
      const { requests, total } = await ingestionRequests.list(tenantId, {
        ...(q.status ? { status: q.status } : {}),
        ...(q.from ? { startDate: q.from } : {}),
        ...(q.to ? { endDate: q.to } : {}),
        sort: 'created_at',
        order: 'desc',
        limit: q.limit,
        offset: q.offset,
      });
      return { data: { requests: requests.map(requestItemView), total } };
    },
  );
  app.get(
    '/app/api/requests/:id',
    {
      schema: {
        params: requestParams,
        tags,
        summary: 'One request with its step timeline',
        description:
          'The request, each pipeline step with its status, attempts, start and finish times and error, and the lead it produced, when there is one.',
        docs: {
          ok: { 200: '`{ data: { ...request, steps: [...], lead } }`' },
          errors: ['UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND:request'],
        },
      },
      config: SESSION,
    },
    async (request) => {
      const { tenantId } = tenantWith(request, READ);
      return { data: await withLead(deps, tenantId, await ingestionRequests.get(tenantId, request.params.id)) };
    },
  );
  registerRetryRoute(scope, deps);
}

function registerRetryRoute(scope: FastifyInstance, deps: AppDeps): void {
  const app = scope.withTypeProvider<ZodTypeProvider>();
  app.post(
    '/app/api/requests/:id/retry',
    {
      schema: {
        params: requestParams,
        tags,
        summary: 'Retry a failed request',
        description:
          'Queues the failed request again from the step that failed, now; the steps done before it are not redone. A request that has not failed (still running, or completed) is 409 saying why. Recorded in the audit log.',
        docs: {
          ok: { 200: 'The request as the retry left it (`retry_scheduled: true`): `{ data: <request> }`' },
          errors: ['UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND:request', 'CONFLICT'],
        },
      },
      config: SESSION,
    },
    async (request) => {
      const { tenantId, signedIn } = tenantWith(request, RETRY);
      const actor = actorOf(request, tenantId, signedIn);
      const retried = await deps.services.ingestionRequests.retry(actor, tenantId, request.params.id);
      return { data: await withLead(deps, tenantId, retried) };
    },
  );
}
