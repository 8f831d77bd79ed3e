import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { keyParams } from './admin.schemas.js';
import { keyView } from './admin-views.js';
import type { AppDeps } from './services.js';
import { tenantWith } from './session.js';

const tags = ['app: keys'];
const SESSION = { appSession: 'required' } as const;
/** Keys open the tenant's whole API: only owners and admins see or rotate them. */
const PERMISSION = 'settings:write';

/** The tenant's API keys, tokens and secrets: listed by hint, rotated with the new value shown once. */
export function registerKeyRoutes(scope: FastifyInstance, deps: AppDeps): void {
  const app = scope.withTypeProvider<ZodTypeProvider>();
  const { credentials } = deps.services;
  app.get(
    '/app/api/keys',
    {
      schema: {
        tags,
        summary: "The tenant's keys",
        description:
          'Each kind with when it was first issued and last rotated and a hint (its first characters); never the secret itself.',
        docs: { ok: { 200: '`{ data: { keys: [{ kind, hint, client_id, created_at, rotated_at }] } }`' } },
      },
      config: SESSION,
    },
    async (request) => {
      const { tenantId } = tenantWith(request, PERMISSION);
      return { data: { keys: (await credentials.overview(tenantId)).map(keyView) } };
    },
  );
  app.post(
    '/app/api/keys/:kind/rotate',
    {
      schema: {
        params: keyParams,
        tags,
        summary: 'Rotate a key',
        description:
          'Issues a new value and revokes the old one at once (the inbound webhook secret keeps verifying for its grace window). The new value is answered this once: only its hash, or a sealed copy, is kept.',
        docs: { ok: { 201: '`{ data: { kind, value, client_id, created_at } }`' } },
      },
      config: SESSION,
    },
    async (request, reply) => {
      const { tenantId } = tenantWith(request, PERMISSION);
      const rotated = await credentials.rotate(tenantId, request.params.kind);
      // The one answer that carries the secret must not be kept by a cache or the browser's history.
      void reply.header('cache-control', 'no-store');
      return reply.code(201).send({
        data: {
          kind: rotated.kind,
          value: rotated.value,
          client_id: rotated.client_id ?? null,
          created_at: rotated.created_at,
        },
      });
    },
  );
}
