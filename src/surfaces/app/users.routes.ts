import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf } from './actor.js';
import { changeUserBody, inviteBody, userParams } from './admin.schemas.js';
import { userView } from './admin-views.js';
import type { AppDeps } from './services.js';
import { tenantWith } from './session.js';

const tags = ['app: users'];
const SESSION = { appSession: 'required' } as const;
/** The team's size this page shows; spec D's users route pages through more. */
const TEAM_LIMIT = 500;
const ERRORS = ['UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND:user'] as const;
const ERRORS_409 = [...ERRORS, 'CONFLICT'] as const;

const writer = (request: FastifyRequest) => {
  const { tenantId, signedIn } = tenantWith(request, 'users:write');
  return { tenantId, actor: actorOf(request, tenantId, signedIn), byRole: signedIn.role };
};

/** The tenant's team: who has access with which role, invitations by mail, role changes, deactivation. */
export function registerUserRoutes(scope: FastifyInstance, deps: AppDeps): void {
  registerTeamRoutes(scope, deps);
  registerInvitationRoutes(scope, deps);
}

function registerTeamRoutes(scope: FastifyInstance, deps: AppDeps): void {
  const app = scope.withTypeProvider<ZodTypeProvider>();
  const { users } = deps.services;
  app.get(
    '/app/api/users',
    {
      schema: {
        tags,
        summary: "The tenant's team",
        description: 'Every user, oldest first, with role and status (`active`, `invited`, `deactivated`).',
        docs: { ok: { 200: '`{ data: { users: [...], total } }`' } },
      },
      config: SESSION,
    },
    async (request) => {
      const { tenantId } = tenantWith(request, 'users:read');
      const { users: team, total } = await users.list(tenantId, { limit: TEAM_LIMIT, offset: 0 });
      return { data: { users: team.map(userView), total } };
    },
  );
  app.patch(
    '/app/api/users/:id',
    {
      schema: {
        params: userParams,
        body: changeUserBody,
        tags,
        summary: "Change a user's role",
        description:
          "The role's permissions apply from the user's next request. The last active owner cannot be demoted (409).",
        docs: { example: { role: 'admin' }, ok: { 200: '`{ data: <user> }`' }, errors: ERRORS_409 },
      },
      config: SESSION,
    },
    async (request) => {
      const { tenantId, actor, byRole } = writer(request);
      const change = { id: request.params.id, role: request.body.role, byRole };
      return { data: userView(await users.changeRole(actor, tenantId, change)) };
    },
  );
  app.post(
    '/app/api/users/:id/deactivate',
    {
      schema: {
        params: userParams,
        tags,
        summary: 'Deactivate a user',
        description:
          'Their sessions end at once and they can no longer sign in. The last active owner cannot be (409).',
        docs: { ok: { 200: '`{ data: <user> }`' }, errors: ERRORS_409 },
      },
      config: SESSION,
    },
    async (request) => {
      const { tenantId, actor, byRole } = writer(request);
      return { data: userView(await users.deactivate(actor, tenantId, request.params.id, byRole)) };
    },
  );
}

function registerInvitationRoutes(scope: FastifyInstance, deps: AppDeps): void {
  const app = scope.withTypeProvider<ZodTypeProvider>();
  const { users, invitations } = deps.services;
  app.post(
    '/app/api/users',
    {
      schema: {
        body: inviteBody,
        tags,
        summary: 'Invite a person',
        description:
          'Adds an invited user and e-mails them a link (7 days, once) to `/app/invitations/{token}`; the token is never answered. Only an owner invites an owner (403).',
        docs: {
          example: { email: 'sam@harbourdental.example', first_name: 'Sam', role: 'agent' },
          ok: { 201: '`{ data: <user> }` with status `invited`' },
          errors: ['UNAUTHENTICATED', 'FORBIDDEN', 'CONFLICT'],
        },
      },
      config: SESSION,
    },
    async (request, reply) => {
      const { tenantId, actor, byRole } = writer(request);
      const { email, first_name, last_name, role } = request.body;
      const user = await invitations.invite(actor, tenantId, {
        email,
        role,
        byRole,
        ...(first_name ? { firstName: first_name } : {}),
        ...(last_name ? { lastName: last_name } : {}),
      });
      return reply.code(201).send({ data: userView(user) });
    },
  );
  app.post(
    '/app/api/users/:id/invitation',
    {
      schema: {
        params: userParams,
        tags,
        summary: 'Send an invitation again',
        description:
          'Mails a fresh link for another 7 days; the earlier link stops working. 409 when the user is not invited.',
        docs: { ok: { 202: '`{ data: <user> }`' }, errors: ERRORS_409 },
      },
      config: SESSION,
    },
    async (request, reply) => {
      const { tenantId, actor } = writer(request);
      return reply.code(202).send({ data: userView(await invitations.resend(actor, tenantId, request.params.id)) });
    },
  );
  app.delete(
    '/app/api/users/:id/invitation',
    {
      schema: {
        params: userParams,
        tags,
        summary: 'Revoke an invitation',
        description: 'The link stops working and the invited user is removed. 409 when the user is not invited.',
        docs: { ok: { 204: 'Nothing' }, errors: ERRORS_409 },
      },
      config: SESSION,
    },
    async (request, reply) => {
      const { tenantId, actor } = writer(request);
      await users.revokeInvitation(actor, tenantId, request.params.id);
      return reply.code(204).send();
    },
  );
}
