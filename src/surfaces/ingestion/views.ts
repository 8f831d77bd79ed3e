import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Actor } from '../../domain/actor.js';
import { forbidden } from '../../domain/errors.js';
import type { HealthReport, ProbeResult } from '../../domain/health/index.js';
import type { ExportRecord } from '../../domain/ingestion/exports.service.js';
import type { UsageStats } from '../../domain/ingestion/requests.service.js';
import { HIDDEN, type Tenant } from '../../domain/tenants/index.js';
import { actorOf, requireTenantAccess } from '../../http/auth.js';
import type { RecentStats } from '../../http/metrics.js';

/** The envelope, the shared parameters and access rule, and the views of spec A's management routes. */

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** Whether a `YYYY-MM-DD` is a day of the calendar: month 13 or day 45 makes no Date at all (2025-02-30 rolls over). */
function calendarDay(v: string): boolean {
  const day = new Date(`${v}T00:00:00Z`);
  return !Number.isNaN(day.getTime()) && day.toISOString().startsWith(v);
}

/** `YYYY-MM-DD` as spec A shows, or a full ISO 8601 date-time; a bare date must exist on the calendar. */
export const dateParam = z
  .string()
  .refine(
    (v) => (DATE_ONLY.test(v) ? calendarDay(v) : z.iso.datetime({ offset: true }).safeParse(v).success),
    'must be a date YYYY-MM-DD or an ISO 8601 date-time',
  );

export const tenantParams = z.object({ tenant_id: z.string().min(1).max(64) });

/** Spec A's success envelope: the request id travels in the body as in its error envelope. */
export function ok<T>(request: FastifyRequest, data: T) {
  return { success: true as const, data, request_id: request.id };
}

export function paginationOf(total: number, limit: number, offset: number) {
  return { total, limit, offset, has_more: offset + limit < total };
}

/** Who may call spec A's management and tenant routes: the admin key, or the tenant's API key or JWT. */
export const MANAGEMENT = { allow: ['admin', 'tenant-key'] } as const;

/**
 * The tenant a management route acts on, for a credential that may act on it with `scope`
 * (a JWT minted with `scope: "read"` may look but not change); the actor for the audit log.
 */
export function tenantActor(request: FastifyRequest, tenantId: string, scope: 'read' | 'write'): Actor {
  const principal = requireTenantAccess(request, tenantId);
  if (!principal.scopes.includes(scope)) throw forbidden(`This credential lacks the '${scope}' scope`);
  return actorOf(request);
}

export function tenantInfoView(tenant: Tenant, usage: UsageStats, hasWebhookSecret: boolean) {
  return {
    tenant_id: tenant.id,
    name: tenant.name,
    status: tenant.status,
    created_at: tenant.createdAt,
    updated_at: tenant.updatedAt,
    // The webhook secret is a credential rather than configuration; spec A shows it here, masked.
    config: { ...tenant.config, ...(hasWebhookSecret ? { webhook_secret: HIDDEN } : {}) },
    usage_stats: usage,
  };
}

/** Spec A's export answer, once the file exists. */
export function exportView(record: ExportRecord, downloadUrl: string) {
  return {
    export_id: record.id,
    download_url: downloadUrl,
    expires_at: record.expiresAt,
    record_count: record.recordCount ?? 0,
    file_size_bytes: record.fileSizeBytes ?? 0,
  };
}

/** An export at any stage, for the status route. */
export function exportStatusView(record: ExportRecord, links: { downloadUrl: string | null; statusUrl: string }) {
  return {
    export_id: record.id,
    status: record.status,
    format: record.format,
    created_at: record.createdAt,
    completed_at: record.completedAt,
    expires_at: record.expiresAt,
    record_count: record.recordCount,
    file_size_bytes: record.fileSizeBytes,
    download_url: links.downloadUrl,
    status_url: links.statusUrl,
    // The stored reason can name server paths; the client only needs to know to ask again.
    ...(record.status === 'failed' ? { error: 'The export could not be built; request a new one' } : {}),
  };
}

// ── Health (spec A) ──────────────────────────────────────────────────────────────────────────────
const count = (v: unknown): number => (typeof v === 'number' ? v : 0);

function serviceView(p: ProbeResult) {
  return {
    status: p.status,
    response_time_ms: p.response_time_ms,
    ...(p.error ? { error: p.error } : {}),
    ...(p.reason ? { reason: p.reason } : {}),
  };
}

/** `/v1/health`: each platform dependency, and the last hour's request figures. */
export function systemHealthView(r: HealthReport, recent: RecentStats, dialect: string) {
  const probe = (name: string) => r.probes.find((p) => p.name === name);
  const database = probe('database');
  const storage = probe('storage');
  const redis = probe('redis');
  return {
    status: r.status,
    timestamp: r.timestamp,
    version: r.version,
    environment: r.environment,
    services: {
      database: database
        ? {
            ...serviceView(database),
            dialect: String(database.details.dialect),
            connections_active: count(database.details.active),
            connections_idle: count(database.details.idle),
          }
        : {
            status: 'unhealthy' as const,
            response_time_ms: null,
            dialect,
            connections_active: 0,
            connections_idle: 0,
          },
      storage: storage ? serviceView(storage) : { status: 'unhealthy' as const, response_time_ms: null },
      ...(redis ? { redis: serviceView(redis) } : {}),
    },
    metrics: {
      // Over at least a minute: a process seconds old would otherwise extrapolate a handful of requests.
      requests_per_minute: Math.round((recent.requests / (Math.max(60, recent.covered_seconds) / 60)) * 100) / 100,
      error_rate: recent.requests > 0 ? Math.round((recent.errors / recent.requests) * 10_000) / 10_000 : 0,
      average_processing_time_ms: recent.processing.avg_ms,
    },
  };
}

function checkView(name: string, p: ProbeResult, critical: boolean, details: Record<string, unknown>) {
  return {
    name,
    status: p.status === 'healthy' ? ('pass' as const) : critical ? ('fail' as const) : ('warning' as const),
    response_time_ms: p.response_time_ms,
    ...(p.error ? { error: p.error } : {}),
    ...(p.reason ? { reason: p.reason } : {}),
    details,
  };
}

/** `/v1/health/detailed`'s checks of the platform's probes (the job queue's is added by the route). */
export function probeChecksView(r: HealthReport): ReturnType<typeof checkView>[] {
  const checks: ReturnType<typeof checkView>[] = [];
  for (const p of r.probes) {
    if (p.name === 'database') {
      checks.push(
        checkView('database_connectivity', p, true, {
          dialect: p.details.dialect,
          read_query: 'SELECT 1',
          connections_active: count(p.details.active),
          connections_idle: count(p.details.idle),
          connections_total: count(p.details.total),
        }),
      );
    } else if (p.name === 'storage') {
      checks.push(
        checkView('storage_writable', p, true, {
          backend: 'filesystem',
          write_test: p.status === 'healthy' ? 'passed' : 'failed',
        }),
      );
    } else if (p.name === 'redis') {
      checks.push(checkView('redis_connectivity', p, true, { command: 'PING', ...p.details }));
    }
  }
  return checks;
}
