import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ChatbotDeps } from './services.js';
import { tenantOf } from '../../http/auth.js';
import { liveStreams, type StreamHolder } from '../../http/live-stream.js';
import { sseFrame } from './views.js';

/** As the other spec D routes: the platform admin (with X-Tenant-ID), the tenant's API key or JWT, or a tenant user. */
const AGENT = { allow: ['admin', 'tenant-key', 'user'] } as const;
const tags = ['chatbot: live'];
const conversationParams = z.object({ id: z.string().min(1).max(64) });
/** For the OpenAPI document only: a stream payload is never passed through the serializer. */
const eventStream = z
  .string()
  .describe(
    'Server-sent events: per event `id: evt_…`, `event: <type>` and `data:` JSON {type, tenant_id, conversation_id, timestamp, data}; a `: heartbeat` comment every 15 s.',
  );
const streamSchema = { tags, produces: ['text/event-stream'], response: { 200: eventStream } };

/** A stream counts against the tenant and the credential that opened it. */
function holderOf(request: FastifyRequest): StreamHolder {
  const tenantId = tenantOf(request);
  return { tenantId, holder: `${request.principal?.kind ?? 'anonymous'}/${request.principal?.subjectId ?? 'admin'}` };
}

/**
 * Live updates for agents as server-sent events (an extension of spec D, which names no
 * real-time transport): a tenant's every conversation, or one. Each stream holds one bus
 * subscription, released when the client goes away; shutdown ends every open stream first, so
 * draining the server never waits on them.
 */
export function registerLiveRoutes(scope: FastifyInstance, deps: ChatbotDeps): void {
  const app = scope.withTypeProvider<ZodTypeProvider>();
  const { liveUpdates } = deps.services;
  const { stream, endAll } = liveStreams(deps.config.liveStreams, sseFrame);

  app.addHook('preClose', (done) => {
    endAll();
    done();
  });

  app.get(
    '/api/v2/live/events',
    {
      schema: {
        ...streamSchema,
        summary: 'Live updates of every conversation of the tenant (server-sent events)',
        description:
          "A server-sent event stream of every conversation event of the tenant (messages, handoffs, status changes) for agents' screens; `Last-Event-ID` resumes after a reconnect. A credential may hold only a few streams at once; more are refused with 429.",
      },
      config: { auth: AGENT },
    },
    async (request, reply) => {
      const who = holderOf(request);
      return stream(reply, who, (listener) => liveUpdates.watchTenant(who.tenantId, listener));
    },
  );

  app.get(
    '/api/v2/conversations/:id/events',
    {
      schema: {
        ...streamSchema,
        summary: 'Live updates of one conversation (server-sent events)',
        description: 'The same stream as /api/v2/live/events, for one conversation.',
        docs: { errors: ['NOT_FOUND:conversation'] },
        params: conversationParams,
      },
      config: { auth: AGENT },
    },
    async (request, reply) => {
      const who = holderOf(request);
      return stream(reply, who, (listener) => liveUpdates.watchConversation(who.tenantId, request.params.id, listener));
    },
  );
}
