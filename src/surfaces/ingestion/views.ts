import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Actor } from '../../domain/actor.js';
import { forbidden } from '../../domain/errors.js';
import type { ExportRecord } from '../../domain/ingestion/exports.service.js';
import type { UsageStats } from '../../domain/ingestion/requests.service.js';
import { HIDDEN, type Tenant } from '../../domain/tenants/index.js';
import { actorOf, requireTenantAccess } from '../../http/auth.js';

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
