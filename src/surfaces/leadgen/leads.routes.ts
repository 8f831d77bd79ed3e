import type { FastifyInstance, FastifySchema } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf, modeOf, tenantOf } from '../../http/auth.js';
import {
  createdLeadResponse,
  createLeadBody,
  leadParams,
  leadResponse,
  listLeadsQuery,
  updateLeadBody,
} from './schemas.js';
import type { LeadgenDeps } from './services.js';
import { createdLeadView, domainStatusOf, leadView } from './views.js';

/** A tenant's key (X-API-Key, as spec B names it, or any other header form); the admin names a tenant with X-Tenant-ID. */
const TENANT = { allow: ['tenant-key', 'admin'] } as const;
const tags = ['leadgen: leads'];

const deletedResponse = z.object({ id: z.string(), deleted: z.literal(true) });

const listSchema = {
  tags,
  summary: 'List leads (spec B)',
  description:
    'The tenant’s leads from every channel (calls, forms, chat, SMS, qualify and this API), newest first, each with its score. `is_hot_lead` is the rubric’s HOT tier.',
  querystring: listLeadsQuery,
  response: { 200: z.array(leadResponse) },
} satisfies FastifySchema;

const createSchema = {
  tags,
  summary: 'Create a lead (spec B)',
  description:
    'Scores the lead with the tenant’s AI engine and stores it, attached to the person its phone or e-mail names. One lead per phone (and per e-mail): a second one answers 409 naming the existing lead. Counts toward the plan’s monthly lead quota (429 `QUOTA_EXCEEDED` past it).',
  body: createLeadBody,
  response: { 201: createdLeadResponse },
  docs: {
    example: {
      company_name: 'ABC Solutions',
      contact_name: 'Rahul Sharma',
      phone: '+919876543210',
      email: 'rahul@abc.com',
      city: 'Mumbai',
      category: 'Real Estate',
      niche: 'real_estate',
    },
    errors: ['CONFLICT', 'QUOTA_EXCEEDED'],
  },
} satisfies FastifySchema;

const getSchema = {
  tags,
  summary: 'Get a lead (spec B)',
  description: 'One lead of the tenant, whichever channel brought it.',
  params: leadParams,
  response: { 200: leadResponse },
  docs: { errors: ['NOT_FOUND:lead'] },
} satisfies FastifySchema;

const updateSchema = {
  tags,
  summary: 'Update a lead (spec B)',
  description:
    'Changes the fields the body names; `null` clears one. A new phone or e-mail must not belong to another lead (409) and re-attaches the lead to the person it names. The score is the engine’s and is not set here.',
  params: leadParams,
  body: updateLeadBody,
  response: { 200: leadResponse },
  docs: { example: { status: 'contacted', city: 'Pune' }, errors: ['NOT_FOUND:lead', 'CONFLICT'] },
} satisfies FastifySchema;

const deleteSchema = {
  tags,
  summary: 'Delete a lead (spec B)',
  description: 'Deletes the lead and its score history. The person (contact) and their conversations stay.',
  params: leadParams,
  response: { 200: deletedResponse },
  docs: { errors: ['NOT_FOUND:lead'] },
} satisfies FastifySchema;

/** Spec B's `/api/leads/`, answered with and without the trailing slash its examples use. */
export function registerLeadgenLeadRoutes(scope: FastifyInstance, deps: LeadgenDeps): void {
  const app = scope.withTypeProvider<ZodTypeProvider>();
  const { leads, tenants } = deps.services;

  for (const path of ['/api/leads', '/api/leads/']) {
    app.get(path, { schema: listSchema, config: { auth: TENANT } }, async (request) => {
      const { status, city, niche, is_hot_lead, limit, offset } = request.query;
      const { leads: list } = await leads.list(tenantOf(request), {
        mode: modeOf(request),
        status: status && domainStatusOf(status),
        city,
        niche,
        hot: is_hot_lead,
        limit,
        offset,
      });
      return list.map(leadView);
    });

    app.post(path, { schema: createSchema, config: { auth: TENANT } }, async (request, reply) => {
      const tenantId = tenantOf(request);
      const { plan } = await tenants.get(tenantId);
      const lead = await leads.create(tenantId, modeOf(request), plan, request.body);
      return reply.code(201).send(createdLeadView(lead));
    });
  }

  app.get('/api/leads/:lead_id', { schema: getSchema, config: { auth: TENANT } }, async (request) =>
    leadView(await leads.get(tenantOf(request), request.params.lead_id)),
  );

  app.put('/api/leads/:lead_id', { schema: updateSchema, config: { auth: TENANT } }, async (request) => {
    const { status, ...fields } = request.body;
    const lead = await leads.edit(actorOf(request), tenantOf(request), request.params.lead_id, {
      ...fields,
      ...(status ? { status: domainStatusOf(status) } : {}),
    });
    return leadView(lead);
  });

  app.delete('/api/leads/:lead_id', { schema: deleteSchema, config: { auth: TENANT } }, async (request) => {
    await leads.remove(tenantOf(request), request.params.lead_id);
    return { id: request.params.lead_id, deleted: true as const };
  });
}
