import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { forbidden } from '../../domain/errors.js';
import type { LiveTopic } from '../../domain/live/index.js';
import { liveStreams } from '../../http/live-stream.js';
import type { AppDeps } from './services.js';
import { SESSION_COOKIE, signedInOf } from './session.js';
import { appEventFrame } from './views.js';

/** What each topic needs: a viewer reads conversations, so hears of them, but not of leads. */
const TOPIC_PERMISSIONS: Record<LiveTopic, string> = {
  conversations: 'conversations:read',
  leads: 'leads:read',
};

/** For the OpenAPI document only: a stream payload is never passed through the serializer. */
const eventStream = z
  .string()
  .describe(
    'Server-sent events: per event `id: evt_…`, `event: <type>` and `data:` JSON {type, conversation_id, at, data}; a `: heartbeat` comment every 15 s.',
  );

/**
 * The web app's live updates: the signed-in person's tenant's conversation and lead events as
 * server-sent events, each topic only when their role may read it. The inbox, the open
 * conversation and the leads list refetch on what they hear, so nothing needs a reload.
 */
export function registerEventRoutes(scope: FastifyInstance, deps: AppDeps): void {
  const app = scope.withTypeProvider<ZodTypeProvider>();
  const { liveUpdates, appSessions } = deps.services;
  const { stream, endAll } = liveStreams(deps.config.liveStreams, appEventFrame);

  app.addHook('preClose', (done) => {
    endAll();
    done();
  });

  app.get(
    '/app/api/events',
    {
      schema: {
        tags: ['app: live'],
        produces: ['text/event-stream'],
        response: { 200: eventStream },
        summary: "Live updates of the tenant's conversations and leads (server-sent events)",
        description:
          '`message.created`, `typing`, `conversation.transferred` and `conversation.updated` with `conversations:read`; `lead.created` and `lead.updated` with `leads:read`. A person may hold only a few streams at once; more are refused with 429.',
        docs: { errors: ['UNAUTHENTICATED', 'FORBIDDEN', 'RATE_LIMITED', 'UNAVAILABLE'] },
      },
      config: { appSession: 'required' },
    },
    async (request, reply) => {
      const signedIn = signedInOf(request);
      const { tenantId } = signedIn;
      if (!tenantId) throw forbidden('The platform admin session has no tenant: sign in as a tenant’s person');
      const topics = (Object.keys(TOPIC_PERMISSIONS) as LiveTopic[]).filter((topic) =>
        signedIn.permissions.includes(TOPIC_PERMISSIONS[topic]),
      );
      if (topics.length === 0) throw forbidden(`Your role (${signedIn.role}) may read neither conversations nor leads`);
      const holder = `app/${signedIn.user?.id ?? signedIn.kind}`;
      const sessionId = request.cookies[SESSION_COOKIE] ?? '';
      // The stream outlives the request: the person is read afresh at every heartbeat, as every request reads them.
      const stillAllowed = async () => {
        const now = await appSessions.identify(sessionId);
        return (
          now?.tenantId === tenantId && topics.every((topic) => now.permissions.includes(TOPIC_PERMISSIONS[topic]))
        );
      };
      return stream(
        reply,
        { tenantId, holder },
        (listener) => liveUpdates.watchTenant(tenantId, listener, topics),
        stillAllowed,
      );
    },
  );
}
