import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { SignedIn, StartedSession } from '../../domain/people/index.js';
import { createSignInAttempts } from './attempts.js';
import {
  acceptInvitationBody,
  adminSessionBody,
  invitationParams,
  magicLinkBody,
  magicLinkParams,
  ownerLinkQuery,
  passwordSignInBody,
} from './auth.schemas.js';
import type { AppDeps } from './services.js';
import { clearSessionCookies, setSessionCookies, signedInOf } from './session.js';
import { meView } from './views.js';

const tags = ['app: sign-in'];
const SIGNED_IN =
  '`{ data: { kind, tenant, user, role, permissions, expires_at } }`, with the session and CSRF cookies set';

/** Signing in (password, invitation, one-time link, owner link, admin key), signing out, and who is signed in. */
export function registerAuthRoutes(scope: FastifyInstance, deps: AppDeps): void {
  const secure = deps.config.http.publicBaseUrl.startsWith('https:');
  const attempts = createSignInAttempts(deps.rateLimitStore, deps.clock);
  const me = async (signedIn: SignedIn) => ({
    data: meView(signedIn, signedIn.tenantId ? await deps.services.tenants.get(signedIn.tenantId) : null),
  });
  const answer = async (reply: FastifyReply, started: StartedSession, code = 200) => {
    setSessionCookies(reply, started, secure);
    return reply.code(code).send(await me(started.signedIn));
  };
  const redirectIn = (reply: FastifyReply, started: StartedSession) => {
    setSessionCookies(reply, started, secure);
    return reply.redirect('/app/', 303);
  };
  registerPasswordRoutes(scope, deps, { attempts, answer });
  registerLinkRoutes(scope, deps, { attempts, answer, redirectIn });

  const app = scope.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/app/api/me',
    {
      schema: {
        tags,
        summary: 'Who is signed in',
        description: 'The signed-in person, their tenant, role and permissions, and when the session ends.',
        docs: {
          ok: { 200: SIGNED_IN.replace(', with the session and CSRF cookies set', '') },
          errors: ['UNAUTHENTICATED'],
        },
      },
      config: { appSession: 'required' },
    },
    (request: FastifyRequest) => me(signedInOf(request)),
  );
  app.delete(
    '/app/api/session',
    {
      schema: {
        tags,
        summary: 'Sign out',
        description: 'Ends the session and clears its cookies. Needs the X-CSRF-Token echo like every unsafe request.',
        docs: { ok: { 204: 'Signed out' }, errors: ['UNAUTHENTICATED', 'FORBIDDEN'] },
      },
      config: { appSession: 'required' },
    },
    async (request, reply) => {
      const sessionId = request.cookies.fd_session;
      if (sessionId) await deps.services.appSessions.end(sessionId);
      clearSessionCookies(reply, secure);
      return reply.code(204).send();
    },
  );
}

interface Answers {
  attempts: ReturnType<typeof createSignInAttempts>;
  answer(reply: FastifyReply, started: StartedSession, code?: number): Promise<FastifyReply>;
}

function registerPasswordRoutes(scope: FastifyInstance, deps: AppDeps, a: Answers): void {
  const app = scope.withTypeProvider<ZodTypeProvider>();
  const { signIn } = deps.services;
  app.post(
    '/app/api/invitations/:token/accept',
    {
      schema: {
        params: invitationParams,
        body: acceptInvitationBody,
        tags,
        summary: 'Accept an invitation',
        description:
          'Spends the invitation token a new user was given: sets their password and name, activates them and signs them in.',
        docs: {
          example: { password: 'correct horse battery', first_name: 'Dana', last_name: 'Reyes' },
          ok: { 201: SIGNED_IN },
          errors: ['GONE', 'RATE_LIMITED'],
        },
      },
    },
    async (request, reply) => {
      await a.attempts.count(request, `invitation:${request.params.token}`);
      const b = request.body;
      const started = await signIn.acceptInvitation(request.params.token, {
        password: b.password,
        firstName: b.first_name,
        lastName: b.last_name ?? null,
      });
      return a.answer(reply, started, 201);
    },
  );
  app.post(
    '/app/api/session',
    {
      schema: {
        body: passwordSignInBody,
        tags,
        summary: 'Sign in with e-mail and password',
        description:
          'Starts a session for an active user. A person of several tenants names one in `tenant_id` (409 lists them otherwise).',
        docs: {
          example: { email: 'dana@example.com', password: 'correct horse battery' },
          ok: { 200: SIGNED_IN },
          errors: ['UNAUTHENTICATED', 'CONFLICT', 'RATE_LIMITED'],
        },
      },
    },
    async (request, reply) => {
      await a.attempts.count(request, `email:${request.body.email}`);
      const b = request.body;
      return a.answer(reply, await signIn.signInWithPassword(b.email, b.password, b.tenant_id));
    },
  );
  app.post(
    '/app/api/admin-session',
    {
      schema: {
        body: adminSessionBody,
        tags,
        summary: 'Sign in as the platform admin',
        description: 'The admin key starts a session for the platform view (`GET /app/api/platform`).',
        docs: { example: { key: 'fd_admin_…' }, ok: { 200: SIGNED_IN }, errors: ['UNAUTHENTICATED', 'RATE_LIMITED'] },
      },
    },
    async (request, reply) => {
      await a.attempts.count(request, 'admin');
      return a.answer(reply, await signIn.signInAsAdmin(request.body.key));
    },
  );
}

function registerLinkRoutes(
  scope: FastifyInstance,
  deps: AppDeps,
  a: Answers & { redirectIn(reply: FastifyReply, started: StartedSession): FastifyReply },
): void {
  const app = scope.withTypeProvider<ZodTypeProvider>();
  const { signIn } = deps.services;
  app.post(
    '/app/api/magic-link',
    {
      schema: {
        body: magicLinkBody,
        tags,
        summary: 'Mail a one-time sign-in link',
        description:
          'Mails a link that signs the person in once within 15 minutes. Answers 202 whether or not anyone has the e-mail, so it tells nobody who is a user.',
        docs: {
          example: { email: 'dana@example.com' },
          ok: { 202: '`{ data: { sent: true } }`' },
          errors: ['RATE_LIMITED'],
        },
      },
    },
    async (request, reply) => {
      await a.attempts.count(request, `email:${request.body.email}`);
      await signIn.sendMagicLink(request.body.email);
      return reply.code(202).send({ data: { sent: true } });
    },
  );
  app.get(
    '/app/api/magic-link/:token',
    {
      schema: {
        params: magicLinkParams,
        tags,
        summary: 'Follow a sign-in link',
        description: 'Spends the link, starts a session and redirects to `/app/`. An expired or used link is a 410.',
        docs: {
          ok: { 200: 'Never: a 303 redirect to /app/ with the session cookies set' },
          errors: ['GONE', 'RATE_LIMITED'],
        },
      },
    },
    async (request, reply) => {
      await a.attempts.count(request, `link:${request.params.token}`);
      return a.redirectIn(reply, await signIn.redeemMagicLink(request.params.token));
    },
  );
  app.get(
    '/app/login/owner',
    {
      schema: {
        querystring: ownerLinkQuery,
        tags,
        summary: 'One-click owner log-in',
        description:
          "The tenant's owner token (spec C's `X-Owner-Token`) as a link: starts a session as the tenant's owner and redirects to `/app/`.",
        docs: {
          ok: { 200: 'Never: a 303 redirect to /app/ with the session cookies set' },
          errors: ['UNAUTHENTICATED', 'RATE_LIMITED'],
        },
      },
    },
    async (request, reply) => {
      await a.attempts.count(request, 'owner-link');
      return a.redirectIn(reply, await signIn.signInAsOwner(request.query.token));
    },
  );
}
