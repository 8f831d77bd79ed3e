import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppDeps } from './services.js';
import { tenantWith } from './session.js';
import { conversationItemView, conversationView } from './views.js';
import { closeBody, conversationListQuery, conversationParams, replyBody } from './work.schemas.js';
import { registerLeadRoutes } from './leads.routes.js';

const tags = ['app: conversations'];
const SESSION = { appSession: 'required' } as const;
const READ = 'conversations:read';
const WRITE = 'conversations:write';
/** The transcript shows the latest 500 messages; longer conversations are read through spec D's export. */
const TRANSCRIPT_LIMIT = 500;
const ACTION_ERRORS = ['UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND:conversation', 'CONFLICT'] as const;

/** What a person does with their tenant's conversations and leads, as their role allows. */
export function registerWorkRoutes(scope: FastifyInstance, deps: AppDeps): void {
  registerConversationReads(scope, deps);
  registerConversationActions(scope, deps);
  registerConversationEndings(scope, deps);
  registerLeadRoutes(scope, deps);
}

function registerConversationReads(scope: FastifyInstance, deps: AppDeps): void {
  const app = scope.withTypeProvider<ZodTypeProvider>();
  const { conversationQuery, leads } = deps.services;
  app.get(
    '/app/api/conversations',
    {
      schema: {
        querystring: conversationListQuery,
        tags,
        summary: "The tenant's conversations",
        description: 'Newest activity first, filtered by status, channel and assignee (`me` for oneself).',
        docs: { ok: { 200: '`{ data: { conversations: [...], total } }`' }, errors: ['UNAUTHENTICATED', 'FORBIDDEN'] },
      },
      config: SESSION,
    },
    async (request) => {
      const { tenantId, signedIn } = tenantWith(request, READ);
      const q = request.query;
      const assignee = q.assignee === 'me' ? (signedIn.user?.id ?? '') : q.assignee;
      const { items, total } = await conversationQuery.list(tenantId, {
        ...(q.status ? { status: q.status } : {}),
        ...(q.channel ? { channel: q.channel } : {}),
        ...(assignee !== undefined ? { assignedAgentId: assignee } : {}),
        sort: 'last_activity_desc',
        limit: q.limit,
        offset: q.offset,
      });
      return { data: { conversations: items.map(conversationItemView), total } };
    },
  );
  app.get(
    '/app/api/conversations/:id',
    {
      schema: {
        params: conversationParams,
        tags,
        summary: 'One conversation',
        description:
          "The transcript, the contact, the lead's score and reasoning, and the latest handoff with its briefing.",
        docs: {
          ok: { 200: '`{ data: <conversation> }`' },
          errors: ['UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND:conversation'],
        },
      },
      config: SESSION,
    },
    async (request) => {
      const { tenantId } = tenantWith(request, READ);
      const detail = await conversationQuery.get(tenantId, request.params.id, TRANSCRIPT_LIMIT);
      const leadId = detail.conversation.leadId;
      const lead = leadId ? await leads.get(tenantId, leadId).catch(() => null) : null;
      return { data: conversationView(detail, lead) };
    },
  );
}

/** Reads the conversation back after an action, in the same shape as `GET /app/api/conversations/{id}`. */
async function answerWith(deps: AppDeps, tenantId: string, id: string) {
  const detail = await deps.services.conversationQuery.get(tenantId, id, TRANSCRIPT_LIMIT);
  const leadId = detail.conversation.leadId;
  const lead = leadId ? await deps.services.leads.get(tenantId, leadId).catch(() => null) : null;
  return { data: conversationView(detail, lead) };
}

const action = (summary: string, description: string) => ({
  params: conversationParams,
  tags,
  summary,
  description,
  docs: {
    ok: { 200: 'The conversation after the action, as `GET /app/api/conversations/{id}`' },
    errors: ACTION_ERRORS,
  },
});
const writer = (request: FastifyRequest) => tenantWith(request, WRITE);

function registerConversationActions(scope: FastifyInstance, deps: AppDeps): void {
  const app = scope.withTypeProvider<ZodTypeProvider>();
  const { transfers } = deps.services;

  app.post(
    '/app/api/conversations/:id/takeover',
    {
      schema: action(
        'Take a conversation over',
        'The signed-in person takes the conversation: the bot pauses and the handoff is theirs.',
      ),
      config: SESSION,
    },
    async (request) => {
      const { tenantId, signedIn } = writer(request);
      await transfers.takeOver(tenantId, request.params.id, signedIn.user?.id ?? null);
      return answerWith(deps, tenantId, request.params.id);
    },
  );
  app.post(
    '/app/api/conversations/:id/reply',
    {
      schema: {
        ...action('Reply to the customer', "Sends the text on the conversation's channel as the signed-in person."),
        body: replyBody,
        docs: {
          example: { text: 'Hi Dana, Thursday at 10 works.' },
          ok: { 200: 'The conversation with the reply' },
          errors: ACTION_ERRORS,
        },
      },
      config: SESSION,
    },
    async (request) => {
      const { tenantId, signedIn } = writer(request);
      await transfers.sendAgentMessage(tenantId, request.params.id, {
        text: request.body.text,
        ...(signedIn.user ? { agentUserId: signedIn.user.id } : {}),
      });
      return answerWith(deps, tenantId, request.params.id);
    },
  );
}

/** Ending a person's turn, and the conversation's own lifecycle. */
function registerConversationEndings(scope: FastifyInstance, deps: AppDeps): void {
  const app = scope.withTypeProvider<ZodTypeProvider>();
  const { transfers, conversationLifecycle } = deps.services;
  app.post(
    '/app/api/conversations/:id/handback',
    {
      schema: action('Hand back to the bot', 'Ends the human handoff; the bot answers the next message again.'),
      config: SESSION,
    },
    async (request) => {
      const { tenantId } = writer(request);
      await transfers.handBack(tenantId, request.params.id);
      return answerWith(deps, tenantId, request.params.id);
    },
  );
  app.post(
    '/app/api/conversations/:id/close',
    {
      schema: {
        ...action('Close a conversation', 'Closes it with a resolution; its open handoffs end.'),
        body: closeBody,
        docs: {
          example: { resolution: 'resolved' },
          ok: { 200: 'The closed conversation' },
          errors: ['UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND:conversation'],
        },
      },
      config: SESSION,
    },
    async (request) => {
      const { tenantId } = writer(request);
      await conversationLifecycle.close(tenantId, request.params.id, request.body.resolution);
      return answerWith(deps, tenantId, request.params.id);
    },
  );
  app.post(
    '/app/api/conversations/:id/reopen',
    {
      schema: action('Reopen a conversation', 'Opens a closed conversation again, with the bot answering.'),
      config: SESSION,
    },
    async (request) => {
      const { tenantId } = writer(request);
      await conversationLifecycle.reopen(tenantId, request.params.id);
      return answerWith(deps, tenantId, request.params.id);
    },
  );
}
