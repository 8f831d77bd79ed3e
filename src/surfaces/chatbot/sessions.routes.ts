import type { FastifyInstance, FastifyReply, FastifyRequest, FastifySchema } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { ChatbotDeps } from './services.js';
import { AppError, forbidden } from '../../domain/errors.js';
import type { TenantsService } from '../../domain/tenants/index.js';
import { enforceVisitorRateLimit } from '../../http/rate-limit.js';
import type { SessionsService } from '../../domain/sessions/index.js';
import { modeOf, principalOf, tenantOf } from '../../http/auth.js';
import { ok } from './respond.js';
import { createdSessionView, endedSessionView, sessionView } from './views.js';
import {
  createSessionBody,
  extendSessionBody,
  sessionParams,
  updateContextBody,
  updateSessionBody,
} from './sessions.schemas.js';

/** The widget token (web only) works on every session route, after creation together with the session's own token. */
const SESSION = { allow: ['admin', 'tenant-key', 'user', 'widget'] } as const;
/** Spec D marks creation "Optional": a tenant that enables public chat lets its pages open sessions with no credential. */
const SESSION_CREATE = { ...SESSION, anonymous: true } as const;
const tags = ['chatbot: sessions'];

const SESSION_ERRORS = ['NOT_FOUND:session', 'GONE'] as const;

const createSchema = {
  body: createSessionBody,
  tags,
  summary: 'Open a session (spec D)',
  description:
    "A session ties the messages of one visitor together with its context and an expiry. With the widget token only web sessions can be opened, and the answer's `session_token` must be sent as `X-Session-Token` on the session's other routes. With no credential at all (the document's \"Optional\"), a tenant whose `channels.web.public_chat` is on lets a page from one of its `channels.web.allowed_origins` open a web session with only `X-Tenant-ID`, ten a minute per address.",
  docs: {
    example: {
      channel: 'web',
      user_id: 'visitor_4821',
      initial_context: { page: '/pricing', utm_source: 'google' },
      session_config: { timeout_minutes: 30, enable_context_persistence: true },
    },
    ok: { 201: '`{ status: "success", data: { session_id, session_token, expires_at, … }, meta }`' },
    errors: ['NOT_FOUND:tenant'],
  },
} satisfies FastifySchema;

const getSchema = {
  params: sessionParams,
  tags,
  summary: 'Get a session (spec D)',
  description: 'The session with its status, expiry, user and metadata.',
  docs: { ok: { 200: '`{ status: "success", data: <session>, meta }`' }, errors: SESSION_ERRORS },
} satisfies FastifySchema;

const updateSchema = {
  params: sessionParams,
  body: updateSessionBody,
  tags,
  summary: 'Update a session (spec D)',
  description: 'Sets the user, or merges metadata or context into the session.',
  docs: {
    example: { user_id: 'customer_1093', metadata: { plan_interest: 'pro' } },
    ok: { 200: 'The updated session' },
    errors: SESSION_ERRORS,
  },
} satisfies FastifySchema;

const endSchema = {
  params: sessionParams,
  tags,
  summary: 'End a session (spec D)',
  description: 'Ends the session now; its conversation stays readable.',
  docs: { ok: { 200: 'The ended session with its duration' }, errors: SESSION_ERRORS },
} satisfies FastifySchema;

const extendSchema = {
  params: sessionParams,
  body: extendSessionBody,
  tags,
  summary: 'Extend a session (spec D)',
  description: 'Moves the expiry of a live session later; an expired or ended session is a 410.',
  docs: {
    example: { extend_by_minutes: 30, reason: 'Visitor still browsing' },
    ok: {
      200: '`{ status: "success", data: { session_id, previous_expiry, new_expiry, extended_by_minutes }, meta }`',
    },
    errors: SESSION_ERRORS,
  },
} satisfies FastifySchema;

const getContextSchema = {
  params: sessionParams,
  tags,
  summary: "Get a session's context (spec D)",
  description: 'The context the session carries between messages, and its history.',
  docs: {
    ok: { 200: '`{ status: "success", data: { session_id, context, history, … }, meta }`' },
    errors: SESSION_ERRORS,
  },
} satisfies FastifySchema;

const updateContextSchema = {
  params: sessionParams,
  body: updateContextBody,
  tags,
  summary: "Update a session's context (spec D)",
  description: 'Merges `context_updates` into the context and appends `append_to_history` to its history.',
  docs: {
    example: { context_updates: { preferred_time: 'morning' }, append_to_history: { event: 'viewed_pricing' } },
    ok: { 200: 'The context after the change' },
    errors: SESSION_ERRORS,
  },
} satisfies FastifySchema;

/**
 * The tenant of a session request. A widget token is public, so with it a session is reached
 * only together with that session's `X-Session-Token` (the `session_token` creation returned);
 * a wrong or missing one answers 403.
 */
/**
 * The tenant of an anonymous session creation: the one named in X-Tenant-ID, if it enables public
 * web chat and the page's Origin is one it allows; each address gets a small budget of its own.
 */
async function visitorTenant(request: FastifyRequest, reply: FastifyReply, tenants: TenantsService): Promise<string> {
  const raw = request.headers['x-tenant-id'];
  const tenantId = (Array.isArray(raw) ? raw[0] : raw)?.trim();
  if (!tenantId) throw new AppError('UNAUTHENTICATED', 'Authentication required: send a credential or X-Tenant-ID');
  const tenant = await tenants.get(tenantId);
  const web = tenant.config.channels?.web;
  if (tenant.status !== 'active' || web?.public_chat !== true || web.enabled === false)
    throw new AppError('UNAUTHENTICATED', 'This tenant does not allow sessions without a credential');
  const origin = request.headers.origin;
  if (!origin || !(web.allowed_origins ?? []).includes(origin))
    throw forbidden('This page’s Origin is not one the tenant allows for public chat');
  await enforceVisitorRateLimit(request, reply, tenantId);
  return tenantId;
}

async function sessionTenant(request: FastifyRequest, sessions: SessionsService, id: string): Promise<string> {
  const tenantId = tenantOf(request);
  if (principalOf(request).kind === 'widget') {
    const raw = request.headers['x-session-token'];
    const token = Array.isArray(raw) ? raw[0] : raw;
    await sessions.get(tenantId, id);
    if (!(await sessions.verifyToken(tenantId, id, token)))
      throw forbidden('The widget token needs this session’s X-Session-Token');
  }
  return tenantId;
}

/** Spec D's session routes: create, read, update, end, extend, and the session's context. */
export function registerSessionRoutes(scope: FastifyInstance, deps: ChatbotDeps): void {
  registerSessionLifeRoutes(scope, deps);
  registerSessionContextRoutes(scope, deps);
}

/** Creating, reading, changing, ending and extending a session. */
function registerSessionLifeRoutes(scope: FastifyInstance, deps: ChatbotDeps): void {
  const app = scope.withTypeProvider<ZodTypeProvider>();
  const { sessions } = deps.services;

  app.post('/api/v2/sessions', { schema: createSchema, config: { auth: SESSION_CREATE } }, async (request, reply) => {
    const body = request.body;
    const kind = request.principal?.kind ?? 'visitor';
    if ((kind === 'widget' || kind === 'visitor') && body.channel !== 'web')
      throw forbidden('Without an API key only web sessions can be opened');
    const tenantId = request.principal ? tenantOf(request) : await visitorTenant(request, reply, deps.services.tenants);
    const { session, sessionToken } = await sessions.create(tenantId, {
      channel: body.channel,
      userId: body.user_id,
      initialContext: body.initial_context,
      timeoutMinutes: body.session_config.timeout_minutes,
      enableContextPersistence: body.session_config.enable_context_persistence,
      mode: request.principal ? modeOf(request) : 'live',
    });
    return reply.code(201).send(ok(request, createdSessionView(session, sessionToken)));
  });

  app.get('/api/v2/sessions/:id', { schema: getSchema, config: { auth: SESSION } }, async (request) => {
    const tenantId = await sessionTenant(request, sessions, request.params.id);
    return ok(request, sessionView(await sessions.get(tenantId, request.params.id)));
  });

  app.put('/api/v2/sessions/:id', { schema: updateSchema, config: { auth: SESSION } }, async (request) => {
    const tenantId = await sessionTenant(request, sessions, request.params.id);
    const body = request.body;
    return ok(
      request,
      sessionView(
        await sessions.update(tenantId, request.params.id, {
          userId: body.user_id,
          metadata: body.metadata,
          context: body.context,
        }),
      ),
    );
  });

  app.delete('/api/v2/sessions/:id', { schema: endSchema, config: { auth: SESSION } }, async (request) => {
    const tenantId = await sessionTenant(request, sessions, request.params.id);
    const s = await sessions.end(tenantId, request.params.id);
    return ok(request, endedSessionView(s));
  });

  app.post('/api/v2/sessions/:id/extend', { schema: extendSchema, config: { auth: SESSION } }, async (request) => {
    const tenantId = await sessionTenant(request, sessions, request.params.id);
    const body = request.body;
    const { previousExpiry, newExpiry } = await sessions.extend(
      tenantId,
      request.params.id,
      body.extend_by_minutes,
      body.reason,
    );
    return ok(request, {
      session_id: request.params.id,
      previous_expiry: previousExpiry,
      new_expiry: newExpiry,
      extended_by_minutes: body.extend_by_minutes,
    });
  });
}

/** A session's context: read it, change it, append to its history. */
function registerSessionContextRoutes(scope: FastifyInstance, deps: ChatbotDeps): void {
  const app = scope.withTypeProvider<ZodTypeProvider>();
  const { sessions } = deps.services;

  app.get('/api/v2/sessions/:id/context', { schema: getContextSchema, config: { auth: SESSION } }, async (request) => {
    const tenantId = await sessionTenant(request, sessions, request.params.id);
    const s = await sessions.get(tenantId, request.params.id);
    return ok(request, { session_id: s.id, status: s.status, context: s.context });
  });

  app.put(
    '/api/v2/sessions/:id/context',
    { schema: updateContextSchema, config: { auth: SESSION } },
    async (request) => {
      const tenantId = await sessionTenant(request, sessions, request.params.id);
      const body = request.body;
      const change = await sessions.updateContext(tenantId, request.params.id, {
        contextUpdates: body.context_updates,
        appendToHistory: body.append_to_history,
      });
      const appended = Object.keys(body.append_to_history ?? {}).length > 0;
      return ok(request, {
        session_id: request.params.id,
        context_updated: change.updatedFields.length > 0 || appended,
        updated_fields: change.updatedFields,
        new_context: change.context,
      });
    },
  );
}
