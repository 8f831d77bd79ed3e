import { PassThrough } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ChatbotDeps } from './services.js';
import { AppError } from '../../domain/errors.js';
import type { LiveEvent, LiveSubscription } from '../../domain/live/index.js';
import { tenantOf } from '../../http/auth.js';
import { KeyedSlots } from '../../lib/keyed-slots.js';
import { sseFrame } from './views.js';

/** A comment line this often keeps proxies and load balancers from closing a quiet stream. */
export const HEARTBEAT_MS = 15_000;
/** What EventSource waits before reconnecting after the stream ends (shutdown, a slow reader cut off). */
const RETRY_MS = 3_000;
/** Unsent bytes a reader may fall behind by before its stream is ended; it reconnects and refetches. */
const MAX_BUFFERED_BYTES = 1024 * 1024;

/** Seconds a client refused for too many streams is told to wait before trying again. */
const STREAM_RETRY_AFTER_S = 5;

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

/**
 * Live updates for agents as server-sent events (an extension of spec D, which names no
 * real-time transport): a tenant's every conversation, or one. Each stream holds one bus
 * subscription, released when the client goes away; shutdown ends every open stream first, so
 * draining the server never waits on them.
 */
/** Counts a new stream against its tenant and credential, or refuses it with 429; the returned function releases it. */
function streamAdmission(limits: { perCredential: number; perTenant: number }) {
  const { perCredential, perTenant } = limits;
  // Streams held now, by tenant and by credential: one key must not exhaust the process's sockets.
  const byTenant = new KeyedSlots(perTenant);
  const byHolder = new KeyedSlots(perCredential);
  return (request: FastifyRequest, reply: FastifyReply, tenantId: string): (() => void) => {
    const holder = `${tenantId}/${request.principal?.kind ?? 'anonymous'}/${request.principal?.subjectId ?? 'admin'}`;
    const refuse = (limit: number, scope: string): AppError => {
      reply.header('retry-after', String(STREAM_RETRY_AFTER_S));
      return new AppError(
        'RATE_LIMITED',
        `${scope} already has ${limit} live streams open, the most allowed; close one before opening another`,
      );
    };
    if (!byHolder.take(holder)) throw refuse(perCredential, 'this credential');
    if (!byTenant.take(tenantId)) {
      byHolder.give(holder);
      throw refuse(perTenant, 'this tenant');
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      byTenant.give(tenantId);
      byHolder.give(holder);
    };
  };
}

/**
 * One stream per request: a bus subscription written out as server-sent events, ended when the
 * client leaves or shutdown begins (`endAll`).
 */
function liveStreams(limits: { perCredential: number; perTenant: number }) {
  const admit = streamAdmission(limits);
  const open = new Set<() => void>();
  let closing = false;

  const endAll = (): void => {
    closing = true;
    for (const end of [...open]) end();
  };

  const stream = async (
    request: FastifyRequest,
    reply: FastifyReply,
    tenantId: string,
    watch: (listener: (event: LiveEvent) => void) => Promise<LiveSubscription>,
  ) => {
    const release = admit(request, reply, tenantId);
    const out = new PassThrough();
    // The first bytes flush the headers at once, so the client knows the subscription is live.
    out.write(`retry: ${RETRY_MS}\n: connected\n\n`);
    let ended = false;
    let heartbeat: NodeJS.Timeout | undefined;
    // Filled once subscribed; `end` may run before that (a reader falling behind at once).
    const held: { subscription?: LiveSubscription } = {};
    const end = (): void => {
      if (ended) return;
      ended = true;
      release();
      clearInterval(heartbeat);
      open.delete(end);
      out.end();
      held.subscription?.close().catch((err: unknown) => reply.log.warn({ err }, 'closing a live subscription failed'));
    };
    // Subscribed before the 200 goes out, so a NOT_FOUND or an unreachable broker is still a proper error envelope.
    const subscription = await watch((event) => {
      if (ended) return;
      out.write(sseFrame(event));
      if (out.writableLength > MAX_BUFFERED_BYTES) end();
    }).catch((err: unknown) => {
      release();
      throw err;
    });
    held.subscription = subscription;
    if (ended) {
      // A reader that fell behind before this point ended the stream while `subscription` was not yet known.
      await subscription.close();
    } else {
      heartbeat = setInterval(() => out.write(': heartbeat\n\n'), HEARTBEAT_MS);
      open.add(end);
      reply.raw.once('close', end);
      // The client left, or shutdown began, while the subscription was being made.
      if (closing || reply.raw.destroyed) end();
    }
    return (
      reply
        .header('content-type', 'text/event-stream; charset=utf-8')
        .header('cache-control', 'no-cache, no-transform')
        // nginx would otherwise buffer the stream and deliver events in lumps.
        .header('x-accel-buffering', 'no')
        .send(out)
    );
  };

  return { stream, endAll };
}

export function registerLiveRoutes(scope: FastifyInstance, deps: ChatbotDeps): void {
  const app = scope.withTypeProvider<ZodTypeProvider>();
  const { liveUpdates } = deps.services;
  const { stream, endAll } = liveStreams(deps.config.liveStreams);

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
      const tenantId = tenantOf(request);
      return stream(request, reply, tenantId, (listener) => liveUpdates.watchTenant(tenantId, listener));
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
      const tenantId = tenantOf(request);
      return stream(request, reply, tenantId, (listener) =>
        liveUpdates.watchConversation(tenantId, request.params.id, listener),
      );
    },
  );
}
