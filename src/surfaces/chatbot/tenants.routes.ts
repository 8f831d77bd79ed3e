import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Deps } from '../../deps.js';
import type { Tenant } from '../../domain/tenants/tenants.service.js';
import type { User } from '../../domain/tenants/users.service.js';
import { monthOf } from '../../domain/usage/usage.service.js';
import { billingPeriod, usageReport } from '../../domain/usage/usage-report.js';
import { planLimits } from '../../domain/tenants/plans.js';
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

const ADMIN = { allow: ['admin'] } as const;
/** "Tenant Admin" in spec D: the platform admin, the tenant's API key or JWT, or a tenant user. */
const TENANT_ADMIN = { allow: ['admin', 'tenant-key', 'user'] } as const;
const tags = ['chatbot: tenants'];

function tenantView(t: Tenant) {
  return {
    tenant_id: t.id,
    name: t.name,
    domain: t.domain,
    plan: t.plan,
    status: t.status,
    timezone: t.timezone,
    created_at: t.createdAt,
    updated_at: t.updatedAt,
    configuration_version: `v${t.configVersion}`,
  };
}

function userView(u: User) {
  return {
    user_id: u.id,
    email: u.email,
    first_name: u.firstName,
    last_name: u.lastName,
    role: u.role,
    status: u.status,
    department: u.department,
    permissions: u.permissions,
    invitation_expires_at: u.invitationExpiresAt,
    created_at: u.createdAt,
  };
}

function periodOf(value: string, now: Date): string {
  if (value === 'current_month') return monthOf(now);
  if (value === 'previous_month') return monthOf(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 15)));
  return value;
}

/** Spec D's tenant routes: tenants, configuration, users, billing, usage; plus credential rotation and the audit log. */
export function registerTenantRoutes(scope: FastifyInstance, deps: Deps): void {
  const app = scope.withTypeProvider<ZodTypeProvider>();
  const { tenants, users, usage, credentials, audit } = deps.services;
  const base = deps.config.http.publicBaseUrl;

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
      const { tenant, credentials: c, adminUser } = await tenants.create(actorOf(request), request.body);
      return reply.code(201).send(
        ok(request, {
          ...tenantView(tenant),
          admin_user: adminUser
            ? {
                user_id: adminUser.id,
                email: adminUser.email,
                role: adminUser.role,
                // Honest: no mail transport exists yet, so the invitation is handed back rather than e-mailed.
                invitation_sent: false,
                invitation_token: adminUser.invitationToken,
                invitation_expires_at: adminUser.invitationExpiresAt,
              }
            : null,
          api_keys: { primary: c.api_key, test: c.test_key },
          webhook_endpoints: { incoming: `${base}/api/v2/webhooks/generic/${tenant.id}`, outgoing: null },
          credentials: {
            webhook_secret: c.webhook_secret,
            client_id: c.client_id,
            client_secret: c.client_secret,
            widget_token: c.widget_token,
            owner_token: c.owner_token,
          },
        }),
      );
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
      return reply.code(201).send(
        ok(request, {
          ...userView(user),
          status: user.invitationToken ? 'invitation_pending' : user.status,
          invitation_sent: false,
          invitation_token: user.invitationToken,
        }),
      );
    },
  );

  app.get(
    '/api/v2/tenants/:id/billing',
    { schema: { params: tenantParams, tags }, config: { auth: TENANT_ADMIN } },
    async (request) => {
      requireTenantAccess(request, request.params.id);
      const tenant = await tenants.get(request.params.id);
      const now = deps.clock.now();
      const period = monthOf(now);
      const report = usageReport(await usage.get(tenant.id, period), tenant.plan, period, now);
      const limits = planLimits[tenant.plan];
      return ok(request, {
        tenant_id: tenant.id,
        plan: tenant.plan,
        status: tenant.status,
        currency: 'USD',
        monthly_price: limits.monthlyPriceUsd,
        billing_period: billingPeriod(period, now),
        plan_limits: {
          conversations_per_month: limits.conversationsPerMonth,
          api_calls_per_month: limits.apiCallsPerMonth,
          users: limits.users,
          integrations: limits.integrations,
          batch_size: limits.batchSize,
          concurrent_batches: limits.concurrentBatches,
        },
        current_usage: report.limits,
        ai_costs_cents: report.usage.ai_costs.total_cents,
        estimated_total: Math.round((limits.monthlyPriceUsd + report.usage.ai_costs.total_cents / 100) * 100) / 100,
      });
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
      return ok(request, {
        credential: rotated.kind,
        value: rotated.value,
        ...(rotated.client_id ? { client_id: rotated.client_id } : {}),
        created_at: rotated.created_at,
      });
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
