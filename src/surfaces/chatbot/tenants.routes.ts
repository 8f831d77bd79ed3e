import type { FastifyInstance, FastifyRequest, FastifySchema } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { ChatbotDeps } from './services.js';
import { monthOf } from '../../domain/usage/index.js';
import { actorOf, requireTenantAccess } from '../../http/auth.js';
import { ok, pagination } from './respond.js';
import {
  auditQuery,
  createTenantSchema,
  createUserSchema,
  listTenantsQuery,
  listUsersQuery,
  rotateBody,
  tenantParams,
  updateConfigBody,
  updateTenantSchema,
  usageQuery,
} from './schemas.js';
import {
  billingView,
  createdTenantView,
  createdUserView,
  periodOf,
  rotatedCredentialView,
  tenantView,
  usageReport,
  userView,
} from './views.js';

const ADMIN = { allow: ['admin'] } as const;
/** "Tenant Admin" in spec D: the platform admin, the tenant's API key or JWT, or a tenant user. */
const TENANT_ADMIN = { allow: ['admin', 'tenant-key', 'user'] } as const;
const tags = ['chatbot: tenants'];

/** Spec D's tenant routes: tenants, configuration, users, billing, usage; plus credential rotation and the audit log. */
const TENANT_ERRORS = ['NOT_FOUND:tenant'] as const;

const listSchema = {
  querystring: listTenantsQuery,
  tags,
  summary: 'List tenants (spec D; admin key)',
  description: 'Every tenant, filtered by status and plan, a page at a time.',
  docs: { ok: { 200: '`{ status: "success", data: { tenants: [...], pagination }, meta }`' } },
} satisfies FastifySchema;

const createSchema = {
  body: createTenantSchema,
  tags,
  summary: 'Create a tenant (spec D; admin key)',
  description:
    'Creates the tenant with its plan, configuration and optional first admin user; the answer shows its API key, webhook secret and widget token once.',
  docs: {
    example: {
      tenant_id: 'acme_roofing',
      name: 'Acme Roofing',
      domain: 'acmeroofing.com',
      plan: 'starter',
      timezone: 'America/Chicago',
      admin_user: { email: 'owner@acmeroofing.com', first_name: 'Dana', last_name: 'Whitfield' },
    },
    ok: { 201: 'The tenant with its credentials, shown only here' },
    errors: ['CONFLICT'],
  },
} satisfies FastifySchema;

const getSchema = {
  params: tenantParams,
  tags,
  summary: 'Get a tenant (spec D)',
  description: 'The tenant with its plan, status and masked configuration.',
  docs: { ok: { 200: '`{ status: "success", data: <tenant>, meta }`' }, errors: TENANT_ERRORS },
} satisfies FastifySchema;

const updateSchema = {
  params: tenantParams,
  body: updateTenantSchema,
  tags,
  summary: 'Update a tenant (spec D)',
  description: 'Changes the name, domain, timezone or configuration; the plan and status only with the admin key.',
  docs: {
    example: { name: 'Acme Roofing & Gutters', timezone: 'America/Denver' },
    ok: { 200: 'The updated tenant' },
    errors: [...TENANT_ERRORS, 'CONFLICT'],
  },
} satisfies FastifySchema;

const deleteSchema = {
  params: tenantParams,
  tags,
  summary: 'Delete a tenant (spec D; admin key)',
  description: 'Deletes the tenant; its credentials stop working at once.',
  docs: { ok: { 200: 'The deleted tenant id' }, errors: TENANT_ERRORS },
} satisfies FastifySchema;

const getConfigSchema = {
  params: tenantParams,
  tags,
  summary: "Get a tenant's configuration (spec D)",
  description: 'The whole tenant configuration with secrets masked.',
  docs: { ok: { 200: '`{ status: "success", data: { tenant_id, configuration, … }, meta }`' }, errors: TENANT_ERRORS },
} satisfies FastifySchema;

const updateConfigSchema = {
  params: tenantParams,
  body: updateConfigBody,
  tags,
  summary: "Update a tenant's configuration (spec D)",
  description: 'Deep-merges `configuration` into the tenant configuration; a concurrent change is a 409.',
  docs: {
    example: { configuration: { business_hours: { timezone: 'America/Chicago' }, ai_config: { tone: 'friendly' } } },
    ok: { 200: 'The configuration after the change, masked' },
    errors: [...TENANT_ERRORS, 'CONFLICT'],
  },
} satisfies FastifySchema;

const listUsersSchema = {
  params: tenantParams,
  querystring: listUsersQuery,
  tags,
  summary: "List a tenant's users (spec D)",
  description: 'The users of the tenant, filtered by role, a page at a time.',
  docs: { ok: { 200: '`{ status: "success", data: { users: [...], pagination }, meta }`' }, errors: TENANT_ERRORS },
} satisfies FastifySchema;

const createUserRouteSchema = {
  params: tenantParams,
  body: createUserSchema,
  tags,
  summary: 'Add a user to a tenant (spec D)',
  description: 'Creates a user with a role and permissions and, unless told not to, e-mails an invitation.',
  docs: {
    example: { email: 'sam@acmeroofing.com', first_name: 'Sam', role: 'agent', send_invitation: true },
    ok: { 201: 'The user, with the invitation status' },
    errors: [...TENANT_ERRORS, 'CONFLICT'],
  },
} satisfies FastifySchema;

const billingSchema = {
  params: tenantParams,
  tags,
  summary: "Get a tenant's billing (spec D)",
  description: 'The plan, its limits and what this period has used of them.',
  docs: { ok: { 200: '`{ status: "success", data: <billing>, meta }`' }, errors: TENANT_ERRORS },
} satisfies FastifySchema;

const usageSchema = {
  params: tenantParams,
  querystring: usageQuery,
  tags,
  summary: "Get a tenant's usage (spec D)",
  description: 'Messages, conversations, API calls and storage over a month, per day when `detailed=true`.',
  docs: { ok: { 200: '`{ status: "success", data: <usage>, meta }`' }, errors: TENANT_ERRORS },
} satisfies FastifySchema;

const rotateSchema = {
  params: tenantParams,
  body: rotateBody,
  tags,
  summary: "Rotate one of a tenant's credentials (spec D)",
  description:
    'Issues a new API key, webhook secret, OAuth client or widget token; the new value is shown once, and the previous one keeps working through a short grace period.',
  docs: {
    example: { credential: 'api_key' },
    ok: { 200: 'The new credential, shown only here' },
    errors: TENANT_ERRORS,
  },
} satisfies FastifySchema;

const tenantAuditSchema = {
  params: tenantParams,
  querystring: auditQuery,
  tags,
  summary: "A tenant's audit log (spec D)",
  description: 'Who changed what in the tenant, newest first, filtered by action.',
  docs: { ok: { 200: '`{ status: "success", data: { entries: [...], pagination }, meta }`' }, errors: TENANT_ERRORS },
} satisfies FastifySchema;

const auditSchema = {
  querystring: auditQuery,
  tags,
  summary: 'The platform audit log (spec D; admin key)',
  description: 'Every audited change across tenants, newest first, filtered by action.',
  docs: { ok: { 200: '`{ status: "success", data: { entries: [...], pagination }, meta }`' } },
} satisfies FastifySchema;

export function registerTenantRoutes(scope: FastifyInstance, deps: ChatbotDeps): void {
  registerTenantRecordRoutes(scope, deps);
  registerTenantConfigRoutes(scope, deps);
  registerTenantUserRoutes(scope, deps);
  registerTenantUsageRoutes(scope, deps);
  registerTenantSecurityRoutes(scope, deps);
}

/** The tenants themselves: list, create, read, change, delete. */
function registerTenantRecordRoutes(scope: FastifyInstance, deps: ChatbotDeps): void {
  const app = scope.withTypeProvider<ZodTypeProvider>();
  const { tenants, credentials } = deps.services;

  app.get('/api/v2/tenants', { schema: listSchema, config: { auth: ADMIN } }, async (request) => {
    const q = request.query;
    const { tenants: list, total } = await tenants.list({
      limit: q.limit,
      offset: (q.page - 1) * q.limit,
      status: q.status,
      plan: q.plan,
    });
    return ok(request, { tenants: list.map(tenantView), pagination: pagination(total, q.page, q.limit) });
  });

  app.post('/api/v2/tenants', { schema: createSchema, config: { auth: ADMIN } }, async (request, reply) => {
    const created = await tenants.create(actorOf(request), request.body);
    return reply.code(201).send(ok(request, createdTenantView(created, deps.config.http.publicBaseUrl)));
  });

  app.get('/api/v2/tenants/:id', { schema: getSchema, config: { auth: TENANT_ADMIN } }, async (request) => {
    requireTenantAccess(request, request.params.id);
    const tenant = await tenants.get(request.params.id);
    return ok(request, {
      ...tenantView(tenant),
      configuration: tenant.config,
      credentials: await credentials.list(tenant.id),
    });
  });

  app.put('/api/v2/tenants/:id', { schema: updateSchema, config: { auth: TENANT_ADMIN } }, async (request) => {
    requireTenantAccess(request, request.params.id);
    const { tenant, changesApplied } = await tenants.update(actorOf(request), request.params.id, request.body);
    return ok(request, { ...tenantView(tenant), configuration: tenant.config, changes_applied: changesApplied });
  });

  app.delete('/api/v2/tenants/:id', { schema: deleteSchema, config: { auth: ADMIN } }, async (request) => {
    await tenants.remove(actorOf(request), request.params.id);
    return ok(request, { tenant_id: request.params.id, deleted: true, deleted_at: deps.clock.now().toISOString() });
  });
}

function registerTenantConfigRoutes(scope: FastifyInstance, deps: ChatbotDeps): void {
  const app = scope.withTypeProvider<ZodTypeProvider>();
  const { tenants } = deps.services;

  app.get(
    '/api/v2/tenants/:id/config',
    { schema: getConfigSchema, config: { auth: TENANT_ADMIN } },
    async (request) => {
      requireTenantAccess(request, request.params.id);
      const tenant = await tenants.get(request.params.id);
      return ok(request, {
        tenant_id: tenant.id,
        configuration_version: `v${tenant.configVersion}`,
        configuration: tenant.config,
      });
    },
  );

  app.put(
    '/api/v2/tenants/:id/config',
    { schema: updateConfigSchema, config: { auth: TENANT_ADMIN } },
    async (request) => {
      requireTenantAccess(request, request.params.id);
      const change = await tenants.updateConfig(actorOf(request), request.params.id, request.body.configuration);
      return ok(request, {
        updated_at: change.updatedAt,
        configuration_version: `v${change.configurationVersion}`,
        changes_applied: change.changesApplied,
        // Configuration is read on every request, so a change is live as soon as it is saved.
        deployment_status: 'applied',
        estimated_deployment_time: '0 seconds',
      });
    },
  );
}

function registerTenantUserRoutes(scope: FastifyInstance, deps: ChatbotDeps): void {
  const app = scope.withTypeProvider<ZodTypeProvider>();
  const { tenants, users } = deps.services;

  app.get('/api/v2/tenants/:id/users', { schema: listUsersSchema, config: { auth: TENANT_ADMIN } }, async (request) => {
    requireTenantAccess(request, request.params.id);
    await tenants.get(request.params.id);
    const q = request.query;
    const { users: list, total } = await users.list(request.params.id, {
      limit: q.limit,
      offset: (q.page - 1) * q.limit,
      role: q.role,
    });
    return ok(request, { users: list.map(userView), pagination: pagination(total, q.page, q.limit) });
  });

  app.post(
    '/api/v2/tenants/:id/users',
    { schema: createUserRouteSchema, config: { auth: TENANT_ADMIN } },
    async (request, reply) => {
      requireTenantAccess(request, request.params.id);
      await tenants.get(request.params.id);
      const user = await users.create(actorOf(request), request.params.id, request.body);
      return reply.code(201).send(ok(request, createdUserView(user)));
    },
  );
}

function registerTenantUsageRoutes(scope: FastifyInstance, deps: ChatbotDeps): void {
  const app = scope.withTypeProvider<ZodTypeProvider>();
  const { tenants, usage, chatUsage } = deps.services;

  app.get('/api/v2/tenants/:id/billing', { schema: billingSchema, config: { auth: TENANT_ADMIN } }, async (request) => {
    requireTenantAccess(request, request.params.id);
    const tenant = await tenants.get(request.params.id);
    const now = deps.clock.now();
    const period = monthOf(now);
    const [counters, chat] = await Promise.all([usage.get(tenant.id, period), chatUsage.month(tenant.id, period)]);
    return ok(request, billingView(tenant, counters, chat, period, now));
  });

  app.get('/api/v2/tenants/:id/usage', { schema: usageSchema, config: { auth: TENANT_ADMIN } }, async (request) => {
    requireTenantAccess(request, request.params.id);
    const tenant = await tenants.get(request.params.id);
    const now = deps.clock.now();
    const period = periodOf(request.query.period, now);
    const [counters, chat] = await Promise.all([usage.get(tenant.id, period), chatUsage.month(tenant.id, period)]);
    return ok(request, { tenant_id: tenant.id, ...usageReport(counters, chat, tenant.plan, period, now) });
  });
}

/** Credential rotation and the audit log. */
function registerTenantSecurityRoutes(scope: FastifyInstance, deps: ChatbotDeps): void {
  const app = scope.withTypeProvider<ZodTypeProvider>();
  const { tenants, credentials, audit } = deps.services;

  app.post(
    '/api/v2/tenants/:id/credentials/rotate',
    { schema: rotateSchema, config: { auth: TENANT_ADMIN } },
    async (request) => {
      requireTenantAccess(request, request.params.id);
      await tenants.get(request.params.id);
      const rotated = await credentials.rotate(request.params.id, request.body.credential);
      await audit.record(actorOf(request), {
        tenantId: request.params.id,
        action: 'credential.rotated',
        targetType: 'credential',
        targetId: rotated.kind,
        after: { kind: rotated.kind, value: '***hidden***' },
      });
      return ok(request, rotatedCredentialView(rotated));
    },
  );

  app.get(
    '/api/v2/tenants/:id/audit',
    { schema: tenantAuditSchema, config: { auth: TENANT_ADMIN } },
    async (request) => {
      requireTenantAccess(request, request.params.id);
      await tenants.get(request.params.id);
      return auditPage(request, request.params.id, request.query);
    },
  );

  app.get('/api/v2/audit', { schema: auditSchema, config: { auth: ADMIN } }, async (request) =>
    auditPage(request, null, request.query),
  );

  async function auditPage(
    request: FastifyRequest,
    tenantId: string | null,
    q: { page: number; limit: number; action?: string },
  ) {
    const { entries, total } = await audit.list(tenantId, {
      limit: q.limit,
      offset: (q.page - 1) * q.limit,
      action: q.action,
    });
    return ok(request, { entries, pagination: pagination(total, q.page, q.limit) });
  }
}
