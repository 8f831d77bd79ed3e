import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance, FastifySchema, RouteOptions } from 'fastify';
import { createJsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { PrincipalKind } from '../domain/auth/index.js';
import { VERSION } from '../lib/version.js';
import type { AuthPolicy } from './auth.js';
import {
  ERROR_ANCHOR_SCRIPT,
  ERROR_ANCHOR_SCRIPT_FILE,
  errorsMarkdown,
  type CatalogueEntry,
} from './error-catalogue.js';
import { RATE_LIMIT_POLICIES } from './rate-limit.js';
import { envelopeSchemas, errorResponses, impliedErrors } from './route-docs.js';
import type { SurfaceDialect } from './surface.js';

/** The header forms of DESIGN's auth model, as OpenAPI security schemes. */
const SECURITY_SCHEMES = {
  bearer: { type: 'http', scheme: 'bearer', description: 'An API key, or a JWT from POST /v1/auth/token' },
  apiKeyHeader: { type: 'apiKey', in: 'header', name: 'X-API-Key', description: "A tenant's API key" },
  apiKeyScheme: {
    type: 'apiKey',
    in: 'header',
    name: 'Authorization',
    description: "`ApiKey <key>`: a tenant's API key (spec D)",
  },
  adminKey: { type: 'apiKey', in: 'header', name: 'X-Admin-API-Key', description: 'The platform admin key' },
  ownerToken: {
    type: 'apiKey',
    in: 'header',
    name: 'X-Owner-Token',
    description: "A tenant owner's dashboard token (spec C)",
  },
  widgetToken: { type: 'apiKey', in: 'header', name: 'X-Widget-Token', description: "A tenant's chat widget token" },
} as const;
type Scheme = keyof typeof SECURITY_SCHEMES;

const SCHEMES_OF: Record<PrincipalKind, readonly Scheme[]> = {
  admin: ['adminKey', 'bearer', 'apiKeyHeader', 'apiKeyScheme'],
  'tenant-key': ['apiKeyHeader', 'bearer', 'apiKeyScheme'],
  user: ['bearer'],
  widget: ['widgetToken', 'bearer'],
  owner: ['ownerToken', 'bearer'],
};

function securityOf(policy: AuthPolicy | undefined): { [scheme: string]: string[] }[] | undefined {
  if (policy === undefined || policy === 'public') return undefined;
  const schemes = new Set(policy.allow.flatMap((kind) => SCHEMES_OF[kind]));
  return (Object.keys(SECURITY_SCHEMES) as Scheme[]).filter((s) => schemes.has(s)).map((s) => ({ [s]: [] }));
}

const zodTransform = createJsonSchemaTransform({ skipList: [] });

const OVERVIEW =
  'One domain core, five API surfaces: ingestion (/v1), leadgen (/api), telephony (/, /v1, /telephony, /twilio), chatbot (/api/v2) and qualifier (/api). Each surface is described, with its authentication, rate limits and the signing of its inbound webhooks, in docs/api/ of the repository.';

export interface OpenApiOptions {
  /** Every error code the surfaces can emit (see error-catalogue.ts): each gets the anchor `errors-<CODE>` in the description. */
  errors?: readonly CatalogueEntry[];
  /** The surfaces, whose envelopes document the error responses of their routes. */
  dialects?: readonly SurfaceDialect[];
}

type Transformed = ReturnType<typeof zodTransform>;
type TransformedSchema = NonNullable<Transformed['schema']> & Record<string, unknown>;

/**
 * Completes one operation: its surface (`x-surface`), the request example, a 2xx answer when its
 * schema names none, and an error response per status the route can answer in its surface's envelope:
 * those its security, validation and rate limit imply and those it declares in `docs.errors`.
 */
function documentOperation(
  route: RouteOptions,
  out: TransformedSchema,
  dialects: ReadonlyMap<string, SurfaceDialect>,
): TransformedSchema {
  const raw: FastifySchema = route.schema ?? {};
  const { docs, ...schema } = out;
  const surface = route.config?.surface;
  const dialect = surface === undefined ? undefined : dialects.get(surface);
  const responses: Record<string, unknown> = { ...(schema.response as Record<string, unknown> | undefined) };
  if (!Object.keys(responses).some((status) => status.startsWith('2'))) {
    for (const [status, description] of Object.entries(docs?.ok ?? { 200: 'Success' })) {
      responses[status] =
        status === '204'
          ? { type: 'null', description }
          : { description, content: { 'application/json': { schema: {} } } };
    }
  }
  if (dialect) {
    const authenticated = route.config?.auth !== undefined && route.config.auth !== 'public';
    const implied = impliedErrors({
      authenticated,
      validated: [raw.body, raw.querystring, raw.params].some((s) => s !== undefined),
      hasBody: raw.body !== undefined,
      rateLimited: authenticated && RATE_LIMIT_POLICIES[dialect.id] !== null && route.config?.rateClass !== 'unlimited',
    });
    const errors = errorResponses(dialect, [...implied, ...(docs?.errors ?? [])]);
    for (const [status, response] of Object.entries(errors)) responses[status] ??= response;
  }
  const result: TransformedSchema = { ...schema, response: responses };
  if (surface !== undefined) result['x-surface'] = surface;
  if (docs?.example !== undefined)
    result.body = { ...(schema.body as object), examples: [exampleOf(route, docs.example)] };
  return result;
}

/** The example request body, refused when the route's own body schema would refuse it. */
function exampleOf(route: RouteOptions, example: unknown): unknown {
  const body = route.schema?.body;
  if (body instanceof z.ZodType && !body.safeParse(example).success)
    throw new Error(`The request example of ${String(route.method)} ${route.url} does not pass its body schema`);
  return example;
}

/**
 * OpenAPI 3.1 from the routes' own zod schemas (one schema per route is validator, type and
 * document at once), served at /openapi.json with Swagger UI at /docs. Register before any route:
 * the document is built from the routes registered after it. Nothing in it depends on the
 * configuration or the clock, so `npm run openapi` is reproducible. The description ends with the
 * error catalogue, whose headings are the targets of the `documentation` links in error bodies.
 */
export async function registerOpenApi(app: FastifyInstance, options: OpenApiOptions = {}): Promise<void> {
  const description = options.errors ? `${OVERVIEW}\n\n${errorsMarkdown(options.errors)}` : OVERVIEW;
  const dialects = new Map((options.dialects ?? []).map((d) => [d.id as string, d]));
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Frontdesk API',
        version: VERSION,
        description,
      },
      components: { securitySchemes: SECURITY_SCHEMES, schemas: envelopeSchemas(options.dialects ?? []) },
    },
    transform: (input) => {
      const out = zodTransform(input);
      if (out.schema.hide) return out;
      const security = securityOf(input.route.config?.auth);
      const schema = documentOperation(input.route, out.schema as TransformedSchema, dialects);
      return { ...out, schema: security ? { ...schema, security } : schema };
    },
    transformObject: jsonSchemaTransformObject,
  });
  // The error anchors are rendered after the page loads; this script scrolls to the one in the URL.
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    theme: { js: [{ filename: ERROR_ANCHOR_SCRIPT_FILE, content: ERROR_ANCHOR_SCRIPT }] },
  });
  app.get('/openapi.json', { schema: { hide: true }, config: { auth: 'public' } }, () => app.swagger());
}

/** The document as committed in docs/openapi.json: stable key order as built, two-space indent, final newline. */
export function renderOpenApi(app: FastifyInstance): string {
  return `${JSON.stringify(app.swagger(), null, 2)}\n`;
}
