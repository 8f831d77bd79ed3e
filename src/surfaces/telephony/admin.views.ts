import type { z } from 'zod';
import { csvLine } from '../../lib/csv.js';
import type { AppointmentFigures } from '../../domain/appointments/index.js';
import type { CreatedTenant, Tenant } from '../../domain/tenants/index.js';
import type { businessView, createdBusinessView, usageRowView } from './admin.schemas.js';

export function businessViewOf(t: Tenant): z.infer<typeof businessView> {
  return {
    id: t.id,
    name: t.name,
    status: t.status,
    plan: t.plan,
    timezone: t.timezone,
    created_at: t.createdAt,
    updated_at: t.updatedAt,
  };
}

/** A new business with the credentials spec C's clients use; they are shown this once. */
export function createdBusinessViewOf(created: CreatedTenant): z.infer<typeof createdBusinessView> {
  return {
    business: businessViewOf(created.tenant),
    api_key: created.credentials.api_key,
    widget_token: created.credentials.widget_token,
    owner_token: created.credentials.owner_token,
  };
}

export function usageRowOf(
  t: Tenant,
  period: string,
  counters: Record<string, number>,
  figures: AppointmentFigures,
): z.infer<typeof usageRowView> {
  return {
    business_id: t.id,
    name: t.name,
    status: t.status,
    period,
    api_calls: counters.api_calls ?? 0,
    sms_messages: counters['messages.channel.sms'] ?? 0,
    conversations: counters['conversations.total'] ?? 0,
    appointments: figures.total,
    emergencies: figures.emergencies,
    service_mix: figures.byService,
  };
}

const CSV_COLUMNS = [
  'business_id',
  'name',
  'status',
  'period',
  'api_calls',
  'sms_messages',
  'conversations',
  'appointments',
  'emergencies',
  'service_mix',
] as const;

/** The usage rows as CSV (header first, formula-safe cells): the service mix in one cell, `service:count` pairs joined by `;`. */
export function usageCsv(rows: z.infer<typeof usageRowView>[]): string {
  return [
    [...CSV_COLUMNS],
    ...rows.map((r) =>
      CSV_COLUMNS.map((c) =>
        c === 'service_mix'
          ? Object.entries(r.service_mix)
              .map(([service, n]) => `${service}:${n}`)
              .join(';')
          : r[c],
      ),
    ),
  ]
    .map(csvLine)
    .join('');
}
