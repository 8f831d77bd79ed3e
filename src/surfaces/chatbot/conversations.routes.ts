import type { FastifyInstance, FastifyReply, FastifyRequest, FastifySchema } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { ChatbotDeps } from './services.js';
import type { ConversationSortKey } from '../../domain/conversations/index.js';
import { actorOf, tenantOf } from '../../http/auth.js';
import { ok, pagination } from './respond.js';
import {
  agentMessageView,
  closedView,
  conversationDetailView,
  handedBackView,
  handoffView,
  listedConversationView,
  reopenedView,
} from './views.js';
import {
  agentMessageBody,
  closeBody,
  conversationDetailQuery,
  conversationParams,
  exportBody,
  exportDownloadParams,
  exportDownloadQuery,
  listConversationsQuery,
  lowerBound,
  transferBody,
  upperBound,
} from './conversations.schemas.js';
import { conversationAnalyticsView, conversationExportView, conversationSummaryView } from './views.js';

/** As the other spec D routes: the platform admin (with X-Tenant-ID), the tenant's API key or JWT, or a tenant user. */
const AGENT = { allow: ['admin', 'tenant-key', 'user'] } as const;
const tags = ['chatbot: conversations'];

/** Routes whose every body field has a default also take a request without a body. */
function emptyBodyAsObject(request: FastifyRequest, _reply: FastifyReply, done: () => void): void {
  request.body ??= {};
  done();
}

function sortKey(sort: string, order: 'asc' | 'desc' | undefined): ConversationSortKey {
  if (sort.endsWith('_asc') || sort.endsWith('_desc')) return sort as ConversationSortKey;
  return `${sort === 'last_activity' ? 'last_activity' : 'created_at'}_${order ?? 'desc'}`;
}

/** Spec D's conversation routes, plus the documented extensions for agents: hand-back, agent messages and the export download. */
export function registerConversationRoutes(scope: FastifyInstance, deps: ChatbotDeps): void {
  registerReadRoutes(scope, deps);
  registerExportRoutes(scope, deps);
  registerHandoffRoutes(scope, deps);
  registerLifecycleRoutes(scope, deps);
  registerInsightRoutes(scope, deps);
}

/** Listing conversations and reading one. */
function registerReadRoutes(scope: FastifyInstance, deps: ChatbotDeps): void {
  const app = scope.withTypeProvider<ZodTypeProvider>();
  const { conversationQuery } = deps.services;

  app.get(
    '/api/v2/conversations',
    {
      schema: {
        querystring: listConversationsQuery,
        tags,
        summary: 'List conversations with filters',
        description: 'Conversations filtered by status, channel, user, agent and date, sorted and paged.',
        docs: { ok: { 200: '`{ status: "success", data: { conversations: [...], pagination }, meta }`' } },
      },
      config: { auth: AGENT },
    },
    async (request) => {
      const q = request.query;
      const from = lowerBound(q.date_from);
      const to = upperBound(q.date_to);
      const { items, total } = await conversationQuery.list(tenantOf(request), {
        ...(q.status ? { status: q.status } : {}),
        ...(q.channel ? { channel: q.channel } : {}),
        ...(q.user_id ? { userId: q.user_id } : {}),
        ...(from ? { from } : {}),
        ...(to ? { to } : {}),
        ...(q.search ? { search: q.search } : {}),
        sort: sortKey(q.sort, q.order),
        limit: q.limit,
        offset: (q.page - 1) * q.limit,
      });
      return ok(request, {
        conversations: items.map(listedConversationView),
        pagination: pagination(total, q.page, q.limit),
      });
    },
  );

  app.get(
    '/api/v2/conversations/:id',
    {
      schema: {
        params: conversationParams,
        querystring: conversationDetailQuery,
        tags,
        summary: 'Get conversation details',
        description:
          'The conversation with its messages (optionally with analysis and metadata), lead and handoff state.',
        docs: {
          ok: { 200: '`{ status: "success", data: <conversation>, meta }`' },
          errors: ['NOT_FOUND:conversation'],
        },
      },
      config: { auth: AGENT },
    },
    async (request) => {
      const q = request.query;
      const detail = await conversationQuery.get(
        tenantOf(request),
        request.params.id,
        q.include_messages === 'true' ? q.message_limit : undefined,
      );
      return ok(request, conversationDetailView(detail, q.include_messages === 'true'));
    },
  );
}

/** The export of a conversation and its signed download (handlers kept as the exports concept shapes them). */
function registerExportRoutes(scope: FastifyInstance, deps: ChatbotDeps): void {
  const app = scope.withTypeProvider<ZodTypeProvider>();
  const { conversationExports } = deps.services;

  app.post(
    '/api/v2/conversations/:id/export',
    {
      schema: {
        params: conversationParams,
        body: exportBody,
        tags,
        summary: 'Export conversation data (json or csv) behind a signed, expiring link',
        description:
          'Writes the conversation to a file and answers a signed link to it that expires; no credential is needed to follow it.',
        docs: {
          example: { format: 'csv', include_metadata: true, include_analytics: false },
          ok: { 200: '`{ status: "success", data: { export_id, download_url, expires_at, … }, meta }`' },
          errors: ['NOT_FOUND:conversation'],
        },
      },
      config: { auth: AGENT },
      preValidation: emptyBodyAsObject,
    },
    async (request) => {
      const b = request.body;
      const from = b.date_range?.start ? new Date(b.date_range.start).toISOString() : undefined;
      const to = b.date_range?.end ? new Date(b.date_range.end).toISOString() : undefined;
      const result = await conversationExports.export(actorOf(request), tenantOf(request), request.params.id, {
        format: b.format,
        includeMetadata: b.include_metadata,
        includeAnalytics: b.include_analytics,
        ...(from ? { from } : {}),
        ...(to ? { to } : {}),
      });
      return ok(request, conversationExportView(result));
    },
  );

  app.get(
    '/api/v2/conversations/exports/:file',
    {
      schema: {
        params: exportDownloadParams,
        querystring: exportDownloadQuery,
        tags,
        summary: 'Download a conversation export through its signed, expiring link',
        description: "The export file; the link's `expires` and `signature` stand in for a credential.",
        docs: {
          ok: { 200: 'The file, with the Content-Type of its format and an attachment Content-Disposition' },
          errors: ['FORBIDDEN', 'GONE', 'NOT_FOUND:export'],
        },
      },
      config: { auth: 'public' },
    },
    async (request, reply) => {
      const file = await conversationExports.open(
        request.query.tenant_id,
        request.params.file,
        request.query.expires,
        request.query.signature,
      );
      return reply
        .header('content-type', file.contentType)
        .header('content-disposition', `attachment; filename="${file.fileName}"`)
        .header('cache-control', 'private, no-store')
        .send(file.body);
    },
  );
}

const transferSchema = {
  params: conversationParams,
  body: transferBody,
  tags,
  summary: 'Transfer to a human agent: named, or the least-busy one of a department',
  description:
    'Hands the conversation to a person: the named agent, or the least busy one of the department. The bot stops answering and the agent is notified with a briefing.',
  docs: {
    example: { transfer_reason: 'pricing_question', department: 'sales', priority: 'high' },
    ok: { 200: 'The transfer: assigned agent, queue position and status' },
    errors: ['NOT_FOUND:conversation', 'NOT_FOUND:user', 'CONFLICT'],
  },
} satisfies FastifySchema;

/** Handing a conversation to people (spec D transfer) and back, and agents' replies (extensions). */
function registerHandoffRoutes(scope: FastifyInstance, deps: ChatbotDeps): void {
  const app = scope.withTypeProvider<ZodTypeProvider>();
  const { conversationQuery, transfers } = deps.services;

  app.post(
    '/api/v2/conversations/:id/transfer',
    {
      schema: transferSchema,
      config: { auth: AGENT },
      preValidation: emptyBodyAsObject,
    },
    async (request) => {
      const b = request.body;
      const result = await transfers.open(tenantOf(request), {
        conversationId: request.params.id,
        reason: b.transfer_reason,
        priority: b.priority,
        ...(b.transfer_note ? { note: b.transfer_note } : {}),
        ...(b.agent_id ? { agentUserId: b.agent_id } : {}),
        ...(b.department ? { department: b.department } : {}),
        briefing: { requested_by: actorOf(request).kind, reason: b.transfer_reason, note: b.transfer_note ?? null },
      });
      return ok(request, handoffView(result));
    },
  );

  app.post(
    '/api/v2/conversations/:id/handback',
    {
      schema: {
        params: conversationParams,
        tags,
        summary: 'Hand a transferred conversation back to the bot (extension)',
        description: 'Ends the human handoff; the bot answers the next customer message again.',
        docs: { ok: { 200: 'The conversation, back with the bot' }, errors: ['NOT_FOUND:conversation', 'CONFLICT'] },
      },
      config: { auth: AGENT },
    },
    async (request) => {
      const tenantId = tenantOf(request);
      await transfers.handBack(tenantId, request.params.id);
      const { conversation } = await conversationQuery.get(tenantId, request.params.id, undefined);
      return ok(request, handedBackView(conversation));
    },
  );

  app.post(
    '/api/v2/conversations/:id/messages',
    {
      schema: {
        params: conversationParams,
        body: agentMessageBody,
        tags,
        summary: "An agent's message to the customer on a transferred conversation (extension)",
        description:
          "Sends the text to the customer on the conversation's channel, as the agent the transfer is assigned to unless another is named.",
        docs: {
          example: { text: 'Hi Dana, I can come by Thursday at 10am. Does that work?' },
          ok: { 201: 'The message sent' },
          errors: ['NOT_FOUND:conversation', 'CONFLICT'],
        },
      },
      config: { auth: AGENT },
    },
    async (request, reply) => {
      const sent = await transfers.sendAgentMessage(tenantOf(request), request.params.id, {
        text: request.body.text,
        ...(request.body.agent_id ? { agentUserId: request.body.agent_id } : {}),
      });
      return reply.code(201).send(ok(request, agentMessageView(sent, request.body.text)));
    },
  );
}

/** Closing and reopening. */
function registerLifecycleRoutes(scope: FastifyInstance, deps: ChatbotDeps): void {
  const app = scope.withTypeProvider<ZodTypeProvider>();
  const { conversationLifecycle } = deps.services;

  app.post(
    '/api/v2/conversations/:id/close',
    {
      schema: {
        params: conversationParams,
        body: closeBody,
        tags,
        summary: 'Close conversation with a resolution',
        description:
          'Closes the conversation with a resolution label; a closed conversation takes no new messages until reopened.',
        docs: {
          example: { resolution: 'resolved' },
          ok: { 200: 'The closed conversation' },
          errors: ['NOT_FOUND:conversation'],
        },
      },
      config: { auth: AGENT },
      preValidation: emptyBodyAsObject,
    },
    async (request) => {
      const change = await conversationLifecycle.close(tenantOf(request), request.params.id, request.body.resolution);
      return ok(request, closedView(change));
    },
  );

  app.post(
    '/api/v2/conversations/:id/reopen',
    {
      schema: {
        params: conversationParams,
        tags,
        summary: 'Reopen closed conversation',
        description: 'Opens a closed conversation again; one that is not closed is a 409.',
        docs: { ok: { 200: 'The reopened conversation' }, errors: ['NOT_FOUND:conversation', 'CONFLICT'] },
      },
      config: { auth: AGENT },
    },
    async (request) => {
      const change = await conversationLifecycle.reopen(tenantOf(request), request.params.id);
      return ok(request, reopenedView(change));
    },
  );
}

/** What a conversation was about and how it went. */
function registerInsightRoutes(scope: FastifyInstance, deps: ChatbotDeps): void {
  const app = scope.withTypeProvider<ZodTypeProvider>();
  const { conversationSummary } = deps.services;

  app.get(
    '/api/v2/conversations/:id/summary',
    {
      schema: {
        params: conversationParams,
        tags,
        summary: 'Get conversation summary',
        description: 'What the customer wanted, what was agreed, the lead it produced and the next steps.',
        docs: { ok: { 200: '`{ status: "success", data: <summary>, meta }`' }, errors: ['NOT_FOUND:conversation'] },
      },
      config: { auth: AGENT },
    },
    async (request) => {
      const summary = await conversationSummary.summarise(tenantOf(request), request.params.id);
      return ok(request, conversationSummaryView(summary));
    },
  );

  app.get(
    '/api/v2/conversations/:id/analytics',
    {
      schema: {
        params: conversationParams,
        tags,
        summary: 'Get conversation analytics',
        description: 'Message counts, response times, sentiment over the conversation and the intents met.',
        docs: { ok: { 200: '`{ status: "success", data: <analytics>, meta }`' }, errors: ['NOT_FOUND:conversation'] },
      },
      config: { auth: AGENT },
    },
    async (request) => {
      const facts = await deps.services.conversationAnalytics.conversation(tenantOf(request), request.params.id);
      return ok(request, conversationAnalyticsView(facts));
    },
  );
}
