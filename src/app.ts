import Fastify, { LogController, type FastifyInstance } from 'fastify';
import type { DestinationStream } from 'pino';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Deps } from './deps.js';
import { registerAuth } from './http/auth.js';
import { registerErrorHandling } from './http/errors.js';
import { loggerOptions } from './http/logging.js';
import { registerMetrics } from './http/metrics.js';
import { registerOpenApi } from './http/openapi.js';
import { registerRateLimits } from './http/rate-limit.js';
import { requestIdFrom } from './http/request-id.js';
import { registerChatbotSurface } from './surfaces/chatbot/routes.js';
import { registerIngestionSurface } from './surfaces/ingestion/routes.js';
import { registerLeadgenSurface } from './surfaces/leadgen/routes.js';
import { registerQualifierSurface } from './surfaces/qualifier/routes.js';
import { registerTelephonySurface } from './surfaces/telephony/routes.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The exact bytes of a JSON or form body, for signature checks over the raw payload. */
    rawBody?: Buffer;
  }
}

export interface BuildAppOptions {
  /** Where log lines go; stdout when absent (tests capture them to check what is logged). */
  logStream?: DestinationStream;
}

/** Time to send the request headers, within the whole request's time. */
const HEADERS_TIMEOUT_MS = 10_000;
const KEEP_ALIVE_TIMEOUT_MS = 5_000;

/** Builds the HTTP app: shared plugins first, then each surface registers its routes. */
export async function buildApp(deps: Deps, options: BuildAppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: loggerOptions(deps.config.logLevel, options.logStream),
    genReqId: requestIdFrom,
    logController: new LogController({ requestIdLogLabel: 'request_id', disableRequestLogging: true }),
    bodyLimit: deps.config.http.bodyLimit,
    // A client that trickles its headers or body must not hold a connection: node checks these
    // every second here (its default check runs every 30 s), and idle keep-alive sockets close after 5 s.
    requestTimeout: deps.config.http.requestTimeoutMs,
    keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
    http: { headersTimeout: Math.min(HEADERS_TIMEOUT_MS, deps.config.http.requestTimeoutMs), connectionsCheckingInterval: 1_000 },
    return503OnClosing: true,
    forceCloseConnections: 'idle',
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  // Every surface speaks JSON or forms; Fastify's default text/plain parser would let a wrong
  // content type through to validation (400/422) instead of answering 415.
  // Fastify's own JSON parser refuses `__proto__` and `constructor.prototype` keys (prototype
  // poisoning); keeping the raw bytes must not cost that protection.
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body: Buffer, done) => {
    request.rawBody = body;
    if (body.length === 0) return done(null, undefined);
    // Fastify's parser answers through `done` and returns nothing.
    void parseJson(request, body.toString('utf8'), done);
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
  registerMetrics(app, deps.metrics);
  // Before any route: the OpenAPI document is built from the routes registered after it.
  await registerOpenApi(app);
  registerAuth(app, { adminKey: deps.adminKey, credentials: deps.services.credentials, tokens: deps.services.tokens, tenants: deps.services.tenants, usage: deps.services.usage });
  // After auth: onRequest hooks run in registration order, and limits are counted per principal's tenant.
  registerRateLimits(app, { store: deps.rateLimitStore, tenants: deps.services.tenants, clock: deps.clock });

  await app.register((scope, _opts, done) => {
    registerIngestionSurface(scope, deps);
    registerLeadgenSurface(scope, deps);
    registerTelephonySurface(scope, deps);
    registerChatbotSurface(scope, deps);
    registerQualifierSurface(scope, deps);
    done();
  });
  return app;
}
