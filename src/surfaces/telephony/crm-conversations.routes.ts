import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { tenantOf } from '../../http/auth.js';
import {
  conversationDetailView,
  conversationParams,
  conversationView,
  CRM_AUTH,
  listConversationsQuery,
  qaBody,
} from './crm.schemas.js';
import { conversationDetailViewOf, conversationViewOf } from './crm.views.js';
import { errorResponses } from './errors.schemas.js';
import type { TelephonyDeps } from './services.js';

const tags = ['telephony: crm'];
/** The latest messages a conversation's detail carries. */
const DETAIL_MESSAGES = 200;

/** Spec C's conversation QA: every channel's conversations, read and reviewed. */
export function registerCrmConversationRoutes(scope: FastifyInstance, deps: TelephonyDeps): void {
  const app = scope.withTypeProvider<ZodTypeProvider>();
  const { conversationQuery, conversationReview } = deps.services;

  app.get(
    '/v1/crm/conversations',
    {
      schema: {
        tags,
        summary: 'List conversations',
        description:
          'Conversations of every channel, latest activity first, filtered by channel, status and customer; the `X-Total-Count` header holds the total.',
        querystring: listConversationsQuery,
        response: { 200: z.array(conversationView), ...errorResponses(401, 403, 422) },
      },
      config: { auth: CRM_AUTH },
    },
    async (request, reply) => {
      const tenantId = tenantOf(request);
      const q = request.query;
      const { items, total } = await conversationQuery.list(tenantId, {
        ...(q.channel ? { channel: q.channel } : {}),
        ...(q.status ? { status: q.status } : {}),
        ...(q.customer_id ? { contactId: q.customer_id } : {}),
        sort: 'last_activity_desc',
        limit: q.limit,
        offset: q.offset,
      });
      void reply.header('x-total-count', String(total));
      return items.map((i) => conversationViewOf(tenantId, i.conversation));
    },
  );

  app.get(
    '/v1/crm/conversations/:conversation_id',
    {
      schema: {
        tags,
        summary: 'Get a conversation',
        description: `The conversation with its latest ${DETAIL_MESSAGES} messages in time order; another tenant's id answers 404.`,
        params: conversationParams,
        response: { 200: conversationDetailView, ...errorResponses(401, 403, 404, 422) },
      },
      config: { auth: CRM_AUTH },
    },
    async (request) => {
      const tenantId = tenantOf(request);
      const detail = await conversationQuery.get(tenantId, request.params.conversation_id, DETAIL_MESSAGES);
      return conversationDetailViewOf(tenantId, detail);
    },
  );

  app.patch(
    '/v1/crm/conversations/:conversation_id/qa',
    {
      schema: {
        tags,
        summary: "Review a conversation's quality",
        description:
          'Sets the QA fields the body names: `flags` and `tags` replace the lists, `outcome` and `notes` are set (`null` clears them); `reviewed_at` becomes now.',
        params: conversationParams,
        body: qaBody,
        response: { 200: conversationView, ...errorResponses(401, 403, 404, 413, 415, 422) },
      },
      config: { auth: CRM_AUTH },
    },
    async (request) => {
      const tenantId = tenantOf(request);
      const reviewed = await conversationReview.review(tenantId, request.params.conversation_id, request.body);
      return conversationViewOf(tenantId, reviewed);
    },
  );
}
