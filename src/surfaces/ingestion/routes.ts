import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { IngestionDeps } from './services.js';
import { AppError } from '../../domain/errors.js';
import { registerIngestionHealthRoutes } from './health.routes.js';
import { registerIngestionMetricsRoutes } from './metrics.routes.js';
import { registerIngestionWebhookRoutes } from './webhooks.routes.js';
import { registerManagementRoutes } from './requests.routes.js';
import { tokenRequestSchema } from './schemas.js';
import { tokenView } from './views.js';

const GRANTABLE = ['read', 'write'];

/** Spec A, the ingestion pipeline, under /v1. */
export function registerIngestionSurface(scope: FastifyInstance, deps: IngestionDeps): void {
  const app = scope.withTypeProvider<ZodTypeProvider>();
  const { credentials, tokens, tenants } = deps.services;

  app.post(
    '/v1/auth/token',
    {
      schema: {
        body: tokenRequestSchema,
        tags: ['ingestion: auth'],
        summary: 'Exchange client credentials for a JWT (spec A)',
        description:
          'OAuth 2 client-credentials grant: a tenant credential pair (client_id, client_secret) buys a short-lived JWT, sent afterwards as `Authorization: Bearer <token>` on every surface. `scope` narrows it to `read` or `write`; both are granted when it is absent.',
        docs: {
          example: {
            client_id: 'cli_01J9Z6Q8',
            client_secret: 'cs_live_5b1f0c2e9a7d4e8b',
            grant_type: 'client_credentials',
            scope: 'read',
          },
          ok: { 200: 'The token: `access_token`, `token_type` (Bearer), `expires_in` seconds and the granted `scope`' },
          errors: ['UNAUTHENTICATED', 'FORBIDDEN', 'DATABASE'],
        },
      },
      config: { auth: 'public' },
    },
    async (request) => {
      const body = request.body;
      const tenantId = await credentials.verifyClient(body.client_id, body.client_secret);
      if (!tenantId) throw new AppError('UNAUTHENTICATED', 'Invalid client_id or client_secret');
      if (body.tenant_id !== undefined && body.tenant_id !== tenantId)
        throw new AppError('FORBIDDEN', 'This client does not belong to that tenant');
      if ((await tenants.statusOf(tenantId)) === 'suspended')
        throw new AppError('FORBIDDEN', 'This tenant is suspended');
      const requested = body.scope ? body.scope.split(' ').filter(Boolean) : GRANTABLE;
      const scopes = requested.filter((s) => GRANTABLE.includes(s));
      if (scopes.length === 0)
        throw new AppError('VALIDATION', 'No grantable scope requested', {
          fields: [{ field: 'scope', issue: `must name one of ${GRANTABLE.join(', ')}`, type: 'invalid_value' }],
        });
      return tokenView(await tokens.issue({ tenantId, clientId: body.client_id, scopes }));
    },
  );

  app.get(
    '/.well-known/jwks.json',
    {
      schema: {
        tags: ['platform'],
        summary: 'Public keys that verify the JWTs this server issues',
        description:
          'The JSON Web Key Set of POST /v1/auth/token: every key a live token may be signed with, including the previous one during a rotation.',
        docs: { ok: { 200: 'A JWK Set: `{ keys: [{ kty, kid, alg, use, … }] }`' } },
      },
      config: { auth: 'public' },
    },
    () => tokens.jwks(),
  );

  registerIngestionHealthRoutes(scope, deps);
  registerIngestionMetricsRoutes(scope, deps);
  registerIngestionWebhookRoutes(scope, deps);
  registerManagementRoutes(scope, deps);
}
