import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { forbidden, notFound } from '../../domain/errors.js';
import { profileBody } from './profile.schemas.js';
import type { AppDeps } from './services.js';
import { signedInOf } from './session.js';
import { meView } from './views.js';

const tags = ['app: sign-in'];

/** A team member changes their own details: the mobile the tenant's notices reach them on by SMS. */
export function registerProfileRoutes(scope: FastifyInstance, deps: AppDeps): void {
  const app = scope.withTypeProvider<ZodTypeProvider>();
  const { users, tenants } = deps.services;
  app.patch(
    '/app/api/me',
    {
      schema: {
        body: profileBody,
        tags,
        summary: 'Change your own mobile',
        description:
          "Sets (E.164) or clears (null) the signed-in person's mobile, where the tenant's notices are texted when its `notifications.sms.enabled` is true. The owner link and the admin key have no person to change: 403.",
        docs: {
          example: { phone: '+14155550123' },
          ok: {
            200: '`{ data: { kind, tenant, user, role, permissions, expires_at } }`, the user with its new `phone`',
          },
          errors: ['UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND:user'],
        },
      },
      config: { appSession: 'required' },
    },
    async (request) => {
      const signedIn = signedInOf(request);
      const { tenantId, user } = signedIn;
      if (!tenantId || !user) throw forbidden('Only a team member signed in as themselves has a mobile to change');
      const updated = await users.setPhone(tenantId, user.id, request.body.phone);
      if (!updated) throw notFound('user', user.id);
      return { data: meView({ ...signedIn, user: updated }, await tenants.get(tenantId)) };
    },
  );
}
