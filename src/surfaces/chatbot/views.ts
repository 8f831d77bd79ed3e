import { failingProbes, type HealthReport, type HealthService, type ProbeResult } from '../../domain/health/index.js';
import {
  planLimits,
  type CreatedTenant,
  type Plan,
  type RotatedCredential,
  type Tenant,
  type User,
} from '../../domain/tenants/index.js';
import { METRICS, METRIC_PREFIXES, monthOf } from '../../domain/usage/index.js';
import type { RecentStats, Timeframe } from '../../http/metrics.js';

type ProcessInfo = ReturnType<HealthService['processInfo']>;

// ── Tenants, users, credentials, billing and usage (spec D) ─────────────────────────────────────

export function tenantView(t: Tenant) {
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

export function userView(u: User) {
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

/** A new user as spec D answers it: the invitation is handed back, not e-mailed. */
export function createdUserView(user: User & { invitationToken: string | null }) {
  return {
    ...userView(user),
    status: user.invitationToken ? 'invitation_pending' : user.status,
    invitation_sent: false,
    invitation_token: user.invitationToken,
  };
}

/** A new tenant with its credentials, shown once; `base` is the public URL its webhook endpoint lives under. */
export function createdTenantView({ tenant, credentials: c, adminUser }: CreatedTenant, base: string) {
  return {
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
  };
}

export function rotatedCredentialView(rotated: RotatedCredential) {
  return {
    credential: rotated.kind,
    value: rotated.value,
    ...(rotated.client_id ? { client_id: rotated.client_id } : {}),
    created_at: rotated.created_at,
  };
}

/** `current_month`, `previous_month` or `YYYY-MM` as the month it names. */
export function periodOf(value: string, now: Date): string {
  if (value === 'current_month') return monthOf(now);
  if (value === 'previous_month') return monthOf(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 15)));
  return value;
}

export interface BillingPeriod {
  start: string;
  end: string;
  days_remaining: number;
}

/** The calendar month `period` (`YYYY-MM`) as UTC bounds, and days left counted from `now`. */
export function billingPeriod(period: string, now: Date): BillingPeriod {
  const [y, m] = period.split('-').map(Number) as [number, number];
  const start = new Date(Date.UTC(y, m - 1, 1));
  const end = new Date(Date.UTC(y, m, 1) - 1000);
  const remaining = Math.max(0, Math.ceil((end.getTime() - now.getTime()) / 86_400_000));
  return {
    start: start.toISOString().replace('.000Z', 'Z'),
    end: end.toISOString().replace('.000Z', 'Z'),
    days_remaining: remaining,
  };
}

function byPrefix(counters: Record<string, number>, prefix: string, scale = 1): Record<string, number> {
  return Object.fromEntries(
    Object.entries(counters)
      .filter(([k]) => k.startsWith(prefix))
      .map(([k, v]) => [k.slice(prefix.length), Math.round(v * scale * 100) / 100]),
  );
}

const pct = (used: number, limit: number): number => (limit > 0 ? Math.round((used / limit) * 10000) / 100 : 0);

/** Spec D's usage document, computed from the real counters (zeros where nothing happened). */
export function usageReport(counters: Record<string, number>, plan: Plan, period: string, now: Date) {
  const get = (k: string) => counters[k] ?? 0;
  const limits = planLimits[plan];
  const inbound = get(METRICS.messagesInbound);
  const outbound = get(METRICS.messagesOutbound);
  // Costs are counted in micro-dollars so sums stay exact; the report speaks cents.
  const byProvider = byPrefix(counters, METRIC_PREFIXES.aiCostByProvider, 1 / 10_000);
  const byModel = byPrefix(counters, METRIC_PREFIXES.aiCostByModel, 1 / 10_000);
  const totalCents = Math.round(Object.values(byProvider).reduce((a, b) => a + b, 0) * 100) / 100;
  return {
    period,
    usage: {
      conversations: {
        total: get(METRICS.conversations),
        completed: get(METRICS.conversationsCompleted),
        abandoned: get(METRICS.conversationsAbandoned),
        escalated: get(METRICS.conversationsEscalated),
      },
      messages: {
        total: inbound + outbound,
        inbound,
        outbound,
        by_channel: byPrefix(counters, METRIC_PREFIXES.messagesByChannel),
      },
      ai_costs: { total_cents: totalCents, by_provider: byProvider, by_model: byModel },
      integrations: {
        api_calls: get(METRICS.apiCalls),
        webhook_calls: get(METRICS.webhookCalls),
        data_sync_operations: get(METRICS.crmSyncs),
      },
    },
    limits: {
      conversations_limit: limits.conversationsPerMonth,
      conversations_used_percent: pct(get(METRICS.conversations), limits.conversationsPerMonth),
      api_calls_limit: limits.apiCallsPerMonth,
      api_calls_used_percent: pct(get(METRICS.apiCalls), limits.apiCallsPerMonth),
    },
    billing_period: billingPeriod(period, now),
  };
}

/** Spec D's billing document: the plan, its limits, and this month's use and AI costs. */
export function billingView(tenant: Tenant, counters: Record<string, number>, period: string, now: Date) {
  const report = usageReport(counters, tenant.plan, period, now);
  const limits = planLimits[tenant.plan];
  return {
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
  };
}

// ── Health (spec D) ──────────────────────────────────────────────────────────────────────────────
const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);

export function basicHealthView(r: HealthReport) {
  return {
    status: r.status,
    timestamp: r.timestamp,
    version: r.version,
    uptime_seconds: r.uptime_seconds,
    environment: r.environment,
  };
}

/** A store (database, Redis, the data directory) as spec D's detailed status shows it. */
function storeView(p: ProbeResult) {
  return {
    status: p.status,
    response_time_ms: p.response_time_ms,
    ...(p.error ? { error: p.error } : {}),
    ...(p.reason ? { reason: p.reason } : {}),
    ...(num(p.details.active) === undefined
      ? {}
      : { active_connections: num(p.details.active), idle_connections: num(p.details.idle) }),
  };
}

export function detailedHealthView(
  r: HealthReport,
  host: { process: ProcessInfo; cpuPercent: number; dialect: 'sqlite' | 'postgres' },
) {
  const databases: Record<string, ReturnType<typeof storeView>> = {};
  let storage: ReturnType<typeof storeView> = { status: 'unhealthy', response_time_ms: null };
  for (const p of r.probes) {
    if (p.name === 'database') databases[host.dialect === 'postgres' ? 'postgresql' : 'sqlite'] = storeView(p);
    else if (p.name === 'redis') databases.redis = storeView(p);
    else if (p.name === 'storage') storage = storeView(p);
  }
  return {
    status: r.status,
    timestamp: r.timestamp,
    services: {
      chat_service: {
        status: 'healthy' as const,
        cpu_usage_percent: host.cpuPercent,
        memory_usage_mb: host.process.memory_rss_mb,
        heap_used_mb: host.process.heap_used_mb,
        uptime_seconds: host.process.uptime_seconds,
      },
      storage,
    },
    databases,
  };
}

export function dependenciesView(r: HealthReport) {
  const healthy = r.probes.filter((p) => p.status === 'healthy').length;
  return {
    status:
      r.status === 'healthy'
        ? ('healthy' as const)
        : r.status === 'degraded'
          ? ('partial_degradation' as const)
          : ('unhealthy' as const),
    timestamp: r.timestamp,
    dependencies: Object.fromEntries(
      r.probes.map((p) => [
        p.name,
        {
          status: p.status,
          last_check: r.timestamp,
          response_time_ms: p.response_time_ms,
          ...(p.error ? { error: p.error } : {}),
          ...(p.reason ? { reason: p.reason } : {}),
        },
      ]),
    ),
    overall_health_score: r.probes.length > 0 ? Math.round((healthy / r.probes.length) * 100) / 100 : 1,
  };
}

export function performanceView(m: RecentStats, timeframe: Timeframe, timestamp: string, diskPercent: number | null) {
  return {
    status: 'success' as const,
    timestamp,
    timeframe,
    metrics: {
      requests_per_second: Math.round((m.requests / m.covered_seconds) * 1000) / 1000,
      average_response_time_ms: m.latency.avg_ms,
      p95_response_time_ms: m.latency.p95_ms,
      p99_response_time_ms: m.latency.p99_ms,
      error_rate_percent: m.requests > 0 ? Math.round((m.errors / m.requests) * 10_000) / 100 : 0,
      cpu_usage_average: m.cpu_percent,
      memory_usage_average: m.memory_percent,
      disk_usage_percent: diskPercent,
    },
  };
}

/** Readiness as specs B and D answer it: each dependency ok, failed or not configured, and why while not ready. */
export function readinessView(r: HealthReport) {
  const state = (name: string) => {
    const probe = r.probes.find((p) => p.name === name);
    return probe ? (probe.status === 'healthy' ? ('ok' as const) : ('failed' as const)) : ('not_configured' as const);
  };
  return {
    status: r.ready ? ('ready' as const) : ('not_ready' as const),
    timestamp: r.timestamp,
    checks: { database: state('database'), redis: state('redis') },
    ...(r.ready ? {} : { reasons: failingProbes(r) }),
  };
}

export function livenessView(timestamp: string, uptimeSeconds: number) {
  return { status: 'alive' as const, timestamp, uptime_seconds: uptimeSeconds };
}
