import type { FastifyInstance, FastifyRequest } from 'fastify';
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

  app.get(
    '/api/v2/tenants',
    { schema: { querystring: listTenantsQuery, tags }, config: { auth: ADMIN } },
    async (request) => {
      const q = request.query;
      const { tenants: list, total } = await tenants.list({
        limit: q.limit,
        offset: (q.page - 1) * q.limit,
        status: q.status,
        plan: q.plan,
      });
      return ok(request, { tenants: list.map(tenantView), pagination: pagination(total, q.page, q.limit) });
    },
  );

  app.post(
    '/api/v2/tenants',
    { schema: { body: createTenantSchema, tags }, config: { auth: ADMIN } },
    async (request, reply) => {
      const created = await tenants.create(actorOf(request), request.body);
      return reply.code(201).send(ok(request, createdTenantView(created, deps.config.http.publicBaseUrl)));
    },
  );

  app.get(
    '/api/v2/tenants/:id',
    { schema: { params: tenantParams, tags }, config: { auth: TENANT_ADMIN } },
    async (request) => {
      requireTenantAccess(request, request.params.id);
      const tenant = await tenants.get(request.params.id);
      return ok(request, {
        ...tenantView(tenant),
        configuration: tenant.config,
        credentials: await credentials.list(tenant.id),
      });
    },
  );

  app.put(
    '/api/v2/tenants/:id',
    { schema: { params: tenantParams, body: updateTenantSchema, tags }, config: { auth: TENANT_ADMIN } },
    async (request) => {
      requireTenantAccess(request, request.params.id);
      const { tenant, changesApplied } = await tenants.update(actorOf(request), request.params.id, request.body);
      return ok(request, { ...tenantView(tenant), configuration: tenant.config, changes_applied: changesApplied });
    },
  );

  app.delete(
    '/api/v2/tenants/:id',
    { schema: { params: tenantParams, tags }, config: { auth: ADMIN } },
    async (request) => {
      await tenants.remove(actorOf(request), request.params.id);
      return ok(request, { tenant_id: request.params.id, deleted: true, deleted_at: deps.clock.now().toISOString() });
    },
  );
}

function registerTenantConfigRoutes(scope: FastifyInstance, deps: ChatbotDeps): void {
  const app = scope.withTypeProvider<ZodTypeProvider>();
  const { tenants } = deps.services;

  app.get(
    '/api/v2/tenants/:id/config',
    { schema: { params: tenantParams, tags }, config: { auth: TENANT_ADMIN } },
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
    { schema: { params: tenantParams, body: updateConfigBody, tags }, config: { auth: TENANT_ADMIN } },
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

  app.get(
    '/api/v2/tenants/:id/users',
    { schema: { params: tenantParams, querystring: listUsersQuery, tags }, config: { auth: TENANT_ADMIN } },
    async (request) => {
      requireTenantAccess(request, request.params.id);
      await tenants.get(request.params.id);
      const q = request.query;
      const { users: list, total } = await users.list(request.params.id, {
        limit: q.limit,
        offset: (q.page - 1) * q.limit,
        role: q.role,
      });
      return ok(request, { users: list.map(userView), pagination: pagination(total, q.page, q.limit) });
    },
  );

  app.post(
    '/api/v2/tenants/:id/users',
    { schema: { params: tenantParams, body: createUserSchema, tags }, config: { auth: TENANT_ADMIN } },
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
  const { tenants, usage } = deps.services;

  app.get(
    '/api/v2/tenants/:id/billing',
    { schema: { params: tenantParams, tags }, config: { auth: TENANT_ADMIN } },
    async (request) => {
      requireTenantAccess(request, request.params.id);
      const tenant = await tenants.get(request.params.id);
      const now = deps.clock.now();
      const period = monthOf(now);
      return ok(request, billingView(tenant, await usage.get(tenant.id, period), period, now));
    },
  );

  app.get(
    '/api/v2/tenants/:id/usage',
    { schema: { params: tenantParams, querystring: usageQuery, tags }, config: { auth: TENANT_ADMIN } },
    async (request) => {
      requireTenantAccess(request, request.params.id);
      const tenant = await tenants.get(request.params.id);
      const now = deps.clock.now();
      const period = periodOf(request.query.period, now);
      return ok(request, {
        tenant_id: tenant.id,
        ...usageReport(await usage.get(tenant.id, period), tenant.plan, period, now),
      });
    },
  );
}

/** Credential rotation and the audit log. */
function registerTenantSecurityRoutes(scope: FastifyInstance, deps: ChatbotDeps): void {
  const app = scope.withTypeProvider<ZodTypeProvider>();
  const { tenants, credentials, audit } = deps.services;

  app.post(
    '/api/v2/tenants/:id/credentials/rotate',
    { schema: { params: tenantParams, body: rotateBody, tags }, config: { auth: TENANT_ADMIN } },
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
    { schema: { params: tenantParams, querystring: auditQuery, tags }, config: { auth: TENANT_ADMIN } },
    async (request) => {
      requireTenantAccess(request, request.params.id);
      await tenants.get(request.params.id);
      return auditPage(request, request.params.id, request.query);
    },
  );

  app.get('/api/v2/audit', { schema: { querystring: auditQuery, tags }, config: { auth: ADMIN } }, async (request) =>
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
