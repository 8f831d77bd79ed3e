import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { tenantOf } from '../../http/auth.js';
import {
  createCustomerBody,
  CRM_AUTH,
  customerParams,
  customerView,
  pageQuery,
  searchCustomersQuery,
  timelineView,
} from './crm.schemas.js';
import { customerViewOf, timelineViewOf } from './crm.views.js';
import { errorResponses } from './errors.schemas.js';
import type { TelephonyDeps } from './services.js';

const tags = ['telephony: crm'];

/** Spec C's customers: the tenant's identity contacts, one per person whichever channel they came through. */
export function registerCrmCustomerRoutes(scope: FastifyInstance, deps: TelephonyDeps): void {
  registerCustomerWrites(scope, deps);
  registerCustomerReads(scope, deps);
  registerCustomerTimeline(scope, deps);
}

function registerCustomerWrites(scope: FastifyInstance, deps: TelephonyDeps): void {
  const app = scope.withTypeProvider<ZodTypeProvider>();
  const { contacts } = deps.services;

  app.post(
    '/v1/crm/customers',
    {
      schema: {
        tags,
        summary: 'Create a customer',
        description:
          'Adds a customer by phone (normalised to E.164) or e-mail. A person the tenant already knows by that phone or e-mail is the same customer: it is returned with what the body adds learnt.',
        body: createCustomerBody,
        response: { 201: customerView, ...errorResponses(401, 403, 413, 415, 422) },
      },
      config: { auth: CRM_AUTH },
    },
    async (request, reply) => {
      const tenantId = tenantOf(request);
      const { address, tags: customerTags, ...facts } = request.body;
      const attributes = { ...(address ? { address } : {}), ...(customerTags ? { tags: customerTags } : {}) };
      const contact = await contacts.register(tenantId, {
        ...facts,
        ...(Object.keys(attributes).length > 0 ? { attributes } : {}),
      });
      return reply.code(201).send(customerViewOf(tenantId, contact));
    },
  );
}

function registerCustomerReads(scope: FastifyInstance, deps: TelephonyDeps): void {
  const app = scope.withTypeProvider<ZodTypeProvider>();
  const { contacts } = deps.services;

  app.get(
    '/v1/crm/customers',
    {
      schema: {
        tags,
        summary: 'List customers',
        description: 'Newest first, `limit` at a time from `offset`; the `X-Total-Count` header holds the total.',
        querystring: pageQuery,
        response: { 200: z.array(customerView), ...errorResponses(401, 403, 422) },
      },
      config: { auth: CRM_AUTH },
    },
    async (request, reply) => {
      const tenantId = tenantOf(request);
      const { contacts: found, total } = await contacts.list(tenantId, request.query);
      void reply.header('x-total-count', String(total));
      return found.map((c) => customerViewOf(tenantId, c));
    },
  );

  app.get(
    '/v1/crm/customers/search',
    {
      schema: {
        tags,
        summary: 'Search customers by name or phone',
        description:
          'Customers whose name contains `q` (any case), or whose phone is `q` once normalised (so `(415) 555-0100` finds `+14155550100`).',
        querystring: searchCustomersQuery,
        response: { 200: z.array(customerView), ...errorResponses(401, 403, 422) },
      },
      config: { auth: CRM_AUTH },
    },
    async (request) => {
      const tenantId = tenantOf(request);
      const found = await contacts.search(tenantId, request.query.q, request.query.limit);
      return found.map((c) => customerViewOf(tenantId, c));
    },
  );

  app.get(
    '/v1/crm/customers/:customer_id',
    {
      schema: {
        tags,
        summary: 'Get a customer',
        description: "One of the tenant's customers; another tenant's id answers 404.",
        params: customerParams,
        response: { 200: customerView, ...errorResponses(401, 403, 404, 422) },
      },
      config: { auth: CRM_AUTH },
    },
    async (request) => {
      const tenantId = tenantOf(request);
      return customerViewOf(tenantId, await contacts.get(tenantId, request.params.customer_id));
    },
  );
}

/** How many of each kind the timeline carries, newest first. */
const TIMELINE_LIMIT = 200;

function registerCustomerTimeline(scope: FastifyInstance, deps: TelephonyDeps): void {
  const app = scope.withTypeProvider<ZodTypeProvider>();
  const { contacts, appointments, conversationQuery } = deps.services;

  app.get(
    '/v1/crm/customers/:customer_id/timeline',
    {
      schema: {
        tags,
        summary: "A customer's timeline",
        description: `The customer's appointments and conversations of every channel interleaved, newest first (up to ${TIMELINE_LIMIT} of each): an appointment at its start time (its booking time when unscheduled), a conversation at its last activity.`,
        params: customerParams,
        response: { 200: timelineView, ...errorResponses(401, 403, 404, 422) },
      },
      config: { auth: CRM_AUTH },
    },
    async (request) => {
      const tenantId = tenantOf(request);
      const customer = await contacts.get(tenantId, request.params.customer_id);
      const page = { limit: TIMELINE_LIMIT, offset: 0 };
      const [booked, talked] = await Promise.all([
        appointments.list(tenantId, { contactId: customer.id }, page),
        conversationQuery.list(tenantId, { contactId: customer.id, sort: 'last_activity_desc', ...page }),
      ]);
      return timelineViewOf(
        tenantId,
        customer.id,
        booked.items,
        talked.items.map((i) => i.conversation),
      );
    },
  );
}
