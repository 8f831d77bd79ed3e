import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { appFiles } from './app-assets.routes.js';

const tags = ['app: pages'];
const pageParams = z.object({ '*': z.string().max(2000) });

/** What a signed-out visitor may load: the log-in and invitation pages and the files they need. */
function isPublic(rest: string): boolean {
  return (
    rest.startsWith('assets/') ||
    rest.startsWith('login') ||
    rest.startsWith('invitations/') ||
    rest === 'api' ||
    rest.startsWith('api/') ||
    /\.[a-z0-9]+$/.test(rest)
  );
}

/**
 * The web app's page paths and built files. A visitor without a session is sent to
 * `/app/login?next=<the path>`, so a link in a notification lands on its page after sign-in.
 */
export function registerPageRoutes(scope: FastifyInstance): void {
  const app = scope.withTypeProvider<ZodTypeProvider>();
  const answer = appFiles();
  app.get(
    '/app/*',
    {
      schema: {
        params: pageParams,
        tags,
        summary: 'A page of the web app',
        description:
          'Without a session: a 303 redirect to `/app/login?next=<path>` (the log-in and invitation pages and built files excepted). With one: the page, or the built file; 404 for a file that is not there.',
        docs: { ok: { 200: 'The page or file' }, errors: ['NOT_FOUND'] },
      },
    },
    async (request, reply) => {
      const rest = request.params['*'];
      if (!request.signedIn && !isPublic(rest))
        return reply.redirect(`/app/login?next=${encodeURIComponent(request.url)}`, 303);
      return answer(rest, request, reply);
    },
  );
}
