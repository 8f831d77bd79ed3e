import { registerBodyParsers } from './http/body-parsers.js';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import type { DestinationStream } from 'pino';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Deps } from './compose/index.js';
import { registerAuth } from './http/auth.js';
import { errorCatalogue } from './http/error-catalogue.js';
import { registerErrorFallback } from './http/errors.js';
import { loggerOptions } from './http/logging.js';
import { registerMetrics } from './http/metrics.js';
import { registerOpenApi } from './http/openapi.js';
import { registerRateLimits } from './http/rate-limit.js';
import { requestIdFrom } from './http/request-id.js';
import { surfaceResolver } from './http/surface.js';
import { appDialect, appPlugin } from './surfaces/app/plugin.js';
import { chatbotDialect, chatbotPlugin } from './surfaces/chatbot/plugin.js';
import { ingestionDialect, ingestionPlugin } from './surfaces/ingestion/plugin.js';
import { leadgenDialect, leadgenPlugin } from './surfaces/leadgen/plugin.js';
import { qualifierDialect, qualifierPlugin } from './surfaces/qualifier/plugin.js';
import { telephonyDialect, telephonyPlugin } from './surfaces/telephony/plugin.js';
import { registerAppAssetRoutes } from './surfaces/app/app-assets.routes.js';

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

/** Builds the HTTP app: shared plugins first, then each surface as its own plugin. */
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
    http: {
      headersTimeout: Math.min(HEADERS_TIMEOUT_MS, deps.config.http.requestTimeoutMs),
      connectionsCheckingInterval: 1_000,
    },
    return503OnClosing: true,
    forceCloseConnections: 'idle',
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  app.addHook('onRequest', (request, reply, done) => {
    void reply.header('x-request-id', request.id);
    done();
  });
  // After the request id is set: a refused body answers with it like every other error.
  registerBodyParsers(app);
  app.addHook('onResponse', (request, reply, done) => {
    request.log.debug({ status: reply.statusCode, ms: Math.round(reply.elapsedTime) }, 'request completed');
    done();
  });

  // A request no surface routes belongs to the first surface claiming its path: spec C's /v1
  // sub-trees before spec A's /v1, spec B's /api sub-trees before spec E's /api; spec E answers the rest.
  const dialects = [appDialect, chatbotDialect, telephonyDialect, ingestionDialect, leadgenDialect, qualifierDialect];
  const surfaceOf = surfaceResolver(dialects, qualifierDialect);
  registerErrorFallback(app, surfaceOf);
  registerMetrics(app, deps.metrics);
  // Before any route: the OpenAPI document is built from the routes registered after it.
  // Its description lists every error code the dialects can emit, the targets of `/docs#errors-<CODE>`.
  await registerOpenApi(app, { errors: errorCatalogue(dialects), dialects });
  registerAuth(app, {
    adminKey: deps.adminKey,
    credentials: deps.services.credentials,
    tokens: deps.services.tokens,
    tenants: deps.services.tenants,
    usage: deps.services.usage,
  });
  // After auth: onRequest hooks run in registration order, and limits are counted per principal's tenant.
  registerRateLimits(app, { store: deps.rateLimitStore, tenants: deps.services.tenants, clock: deps.clock, surfaceOf });

  await app.register(ingestionPlugin, { deps });
  await app.register(leadgenPlugin, { deps });
  await app.register(telephonyPlugin, { deps });
  await app.register(chatbotPlugin, { deps });
  await app.register(qualifierPlugin, { deps });
  registerWebApp(app);
  await app.register(appPlugin, { deps });
  return app;
}

/**
 * The owners' and agents' web app (`web/app/`): static pages beside the API, outside every surface's
 * plugin because they answer no API document's dialect.
 */
function registerWebApp(app: FastifyInstance): void {
  registerAppAssetRoutes(app);
}
