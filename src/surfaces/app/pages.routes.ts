import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { notFound } from '../../domain/errors.js';

const tags = ['app: pages'];
const pageParams = z.object({ '*': z.string().max(2000) });

/**
 * The web app's page paths. Its pages are built separately; here a visitor without a session is
 * sent to `/app/login?next=<the path>`, so a link in a notification lands on the page after sign-in.
 */
export function registerPageRoutes(scope: FastifyInstance): void {
  const app = scope.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/app/*',
    {
      schema: {
        params: pageParams,
        tags,
        summary: 'A page of the web app',
        description:
          'Without a session: a 303 redirect to `/app/login?next=<path>`. With one: the page, once the web app is built (404 until then).',
        docs: { ok: { 200: 'The page' }, errors: ['NOT_FOUND'] },
      },
    },
    async (request, reply) => {
      const path = `/app/${request.params['*']}`;
      if (!request.signedIn && !path.startsWith('/app/login') && !path.startsWith('/app/api/'))
        return reply.redirect(`/app/login?next=${encodeURIComponent(request.url)}`, 303);
      throw notFound('route', path);
    },
  );
}
