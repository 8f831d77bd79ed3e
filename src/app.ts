import Fastify, { LogController, type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Deps } from './deps.js';
import { registerAuth } from './http/auth.js';
import { registerErrorHandling } from './http/errors.js';
import { loggerOptions } from './http/logging.js';
import { requestIdFrom } from './http/request-id.js';
import { registerChatbotSurface } from './surfaces/chatbot/routes.js';
import { registerIngestionSurface } from './surfaces/ingestion/routes.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The exact bytes of a JSON or form body, for signature checks over the raw payload. */
    rawBody?: Buffer;
  }
}

/** Builds the HTTP app: shared plugins first, then each surface registers its routes. */
export async function buildApp(deps: Deps): Promise<FastifyInstance> {
  const app = Fastify({
    logger: loggerOptions(deps.config.logLevel),
    genReqId: requestIdFrom,
    logController: new LogController({ requestIdLogLabel: 'request_id', disableRequestLogging: true }),
    bodyLimit: deps.config.http.bodyLimit,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body: Buffer, done) => {
    request.rawBody = body;
    if (body.length === 0) return done(null, undefined);
    try {
      done(null, JSON.parse(body.toString('utf8')));
    } catch (err) {
      done(err as Error, undefined);
    }
  });
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'buffer' }, (request, body: Buffer, done) => {
    request.rawBody = body;
    done(null, Object.fromEntries(new URLSearchParams(body.toString('utf8'))));
  });

  app.addHook('onRequest', (request, reply, done) => {
    void reply.header('x-request-id', request.id);
    done();
  });
  app.addHook('onResponse', (request, reply, done) => {
    request.log.debug({ status: reply.statusCode, ms: Math.round(reply.elapsedTime) }, 'request completed');
    done();
  });

  registerErrorHandling(app);
  registerAuth(app, { adminKey: deps.adminKey, credentials: deps.services.credentials, tokens: deps.services.tokens, usage: deps.services.usage });

  await app.register((scope, _opts, done) => {
    registerIngestionSurface(scope, deps);
    registerChatbotSurface(scope, deps);
    done();
  });
  return app;
}
