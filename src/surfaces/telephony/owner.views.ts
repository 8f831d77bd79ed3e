import { z } from 'zod';
import type {
  AppointmentSample,
  Completeness,
  ConversationSample,
  DayLoad,
  Durations,
  Funnel,
  OwnerDay,
  ValueTally,
} from '../../domain/analytics/index.js';
import { stringify } from 'csv-stringify/sync';

/** Spec C's owner dashboard answers, named in its snake_case from the analytics' neutral figures. */

/** A part of a whole to four places; null when there is no whole. */
export const share = (part: number, whole: number) => (whole > 0 ? Math.round((part / whole) * 1e4) / 1e4 : null);
export const rateField = z
  .number()
  .nullable()
  .describe('a fraction from 0 to 1; null when there is nothing to divide by');

export const ownerAppointmentView = z.object({
  id: z.string(),
  customer_id: z.string().nullable(),
  conversation_id: z.string().nullable(),
  status: z.string(),
  start_time: z.string().nullable(),
  end_time: z.string().nullable(),
  service_type: z.string().nullable(),
  is_emergency: z.boolean(),
  estimated_value: z.number().nullable(),
  technician: z.string().nullable(),
});

export function appointmentOf(a: AppointmentSample): z.infer<typeof ownerAppointmentView> {
  return {
    id: a.id,
    customer_id: a.contactId,
    conversation_id: a.conversationId,
    status: a.status,
    start_time: a.startTime,
    end_time: a.endTime,
    service_type: a.serviceType,
    is_emergency: a.isEmergency,
    estimated_value: a.estimatedValue,
    technician: a.technician,
  };
}

export const scheduleView = z.object({
  business_id: z.string(),
  date: z.string(),
  timezone: z.string(),
  total: z.number(),
  emergencies: z.number(),
  appointments: z.array(ownerAppointmentView),
});

export function scheduleViewOf(tenantId: string, zone: string, d: OwnerDay): z.infer<typeof scheduleView> {
  return {
    business_id: tenantId,
    date: d.day.date,
    timezone: zone,
    total: d.appointments.length,
    emergencies: d.appointments.filter((a) => a.isEmergency).length,
    appointments: d.appointments.map(appointmentOf),
  };
}

export const todaySummaryView = scheduleView.extend({
  estimated_value: z.number(),
  by_status: z.record(z.string(), z.number()),
  new_conversations: z.number(),
  new_conversations_by_channel: z.record(z.string(), z.number()),
});

function countsBy<T>(items: T[], keyOf: (item: T) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const item of items) out[keyOf(item)] = (out[keyOf(item)] ?? 0) + 1;
  return out;
}

export function todaySummaryViewOf(tenantId: string, zone: string, d: OwnerDay): z.infer<typeof todaySummaryView> {
  return {
    ...scheduleViewOf(tenantId, zone, d),
    estimated_value: d.appointments.reduce((s, a) => s + (a.estimatedValue ?? 0), 0),
    by_status: countsBy(d.appointments, (a) => a.status),
    new_conversations: d.conversations.length,
    new_conversations_by_channel: countsBy(d.conversations, (c) => c.channel),
  };
}

export const workloadView = z.object({
  business_id: z.string(),
  timezone: z.string(),
  days: z.number(),
  items: z.array(
    z.object({ date: z.string(), appointments: z.number(), emergencies: z.number(), estimated_value: z.number() }),
  ),
});

export function workloadViewOf(tenantId: string, zone: string, loads: DayLoad[]): z.infer<typeof workloadView> {
  return {
    business_id: tenantId,
    timezone: zone,
    days: loads.length,
    items: loads.map((l) => ({
      date: l.date,
      appointments: l.appointments,
      emergencies: l.emergencies,
      estimated_value: l.value,
    })),
  };
}

/** What every windowed figure carries: the window asked for and its first instant. */
export const windowed = { business_id: z.string(), days: z.number(), since: z.string() };
export interface Window {
  tenantId: string;
  days: number;
  since: string;
}
export const windowOf = (w: Window) => ({ business_id: w.tenantId, days: w.days, since: w.since });

export const serviceMixView = z.object({
  ...windowed,
  total: z.number(),
  items: z.array(
    z.object({ service_type: z.string(), count: z.number(), share: rateField, estimated_value: z.number() }),
  ),
});

export function serviceMixViewOf(w: Window, mix: [string, ValueTally][]): z.infer<typeof serviceMixView> {
  const total = mix.reduce((s, [, t]) => s + t.count, 0);
  return {
    ...windowOf(w),
    total,
    items: mix.map(([service, t]) => ({
      service_type: service,
      count: t.count,
      share: share(t.count, total),
      estimated_value: t.value,
    })),
  };
}

/**
 * RFC 4180 CSV with a header line and CRLF line ends; a text cell a spreadsheet would read as a
 * formula (`=`, `+`, `-`, `@`, tab, carriage return first) is written with a leading apostrophe.
 */
export function ownerCsv<K extends string>(columns: readonly K[], rows: Record<K, string | number | null>[]): string {
  return stringify(rows, {
    header: true,
    columns: [...columns],
    record_delimiter: 'windows',
    escape_formulas: true,
    cast: { number: String },
  });
}

export function serviceMixCsv(view: z.infer<typeof serviceMixView>): string {
  return ownerCsv(['service_type', 'count', 'share', 'estimated_value'], view.items);
}

export const pipelineView = z.object({
  ...windowed,
  total: z.number(),
  stages: z.array(z.object({ status: z.string(), count: z.number(), estimated_value: z.number() })),
});

export function pipelineViewOf(w: Window, stages: [string, ValueTally][]): z.infer<typeof pipelineView> {
  return {
    ...windowOf(w),
    total: stages.reduce((s, [, t]) => s + t.count, 0),
    stages: stages.map(([status, t]) => ({ status, count: t.count, estimated_value: t.value })),
  };
}

export const timeToBookView = z.object({
  ...windowed,
  samples: z.number(),
  average_minutes: z.number().nullable(),
  median_minutes: z.number().nullable(),
});

export function timeToBookViewOf(w: Window, d: Durations): z.infer<typeof timeToBookView> {
  return { ...windowOf(w), samples: d.samples, average_minutes: d.averageMinutes, median_minutes: d.medianMinutes };
}

export const funnelView = z.object({
  ...windowed,
  conversations: z.number(),
  identified: z.number(),
  requested_appointment: z.number(),
  booked: z.number(),
  completed: z.number(),
  booking_rate: rateField,
});

export function funnelViewOf(w: Window, f: Funnel): z.infer<typeof funnelView> {
  return {
    ...windowOf(w),
    conversations: f.conversations,
    identified: f.identified,
    requested_appointment: f.requested,
    booked: f.booked,
    completed: f.completed,
    booking_rate: share(f.booked, f.conversations),
  };
}

export const completenessView = z.object({
  ...windowed,
  appointments: z.number(),
  appointment_fields: z.object({
    customer: rateField,
    start_time: rateField,
    service_type: rateField,
    estimated_value: rateField,
    technician: rateField,
  }),
  conversations: z.number(),
  conversations_with_customer: rateField,
});

export function completenessViewOf(w: Window, c: Completeness): z.infer<typeof completenessView> {
  const of = (n: number) => share(n, c.appointments);
  return {
    ...windowOf(w),
    appointments: c.appointments,
    appointment_fields: {
      customer: of(c.withField.customer),
      start_time: of(c.withField.startTime),
      service_type: of(c.withField.serviceType),
      estimated_value: of(c.withField.estimatedValue),
      technician: of(c.withField.technician),
    },
    conversations: c.conversations,
    conversations_with_customer: share(c.conversationsWithCustomer, c.conversations),
  };
}

export const recentConversationsView = z.object({
  ...windowed,
  items: z.array(
    z.object({
      id: z.string(),
      customer_id: z.string().nullable(),
      channel: z.string(),
      status: z.string(),
      lead_id: z.string().nullable(),
      summary: z.string().nullable(),
      message_count: z.number(),
      created_at: z.string(),
      last_message_at: z.string().nullable(),
    }),
  ),
});

export function recentConversationsViewOf(
  w: Window,
  conversations: ConversationSample[],
): z.infer<typeof recentConversationsView> {
  return {
    ...windowOf(w),
    items: conversations.map((c) => ({
      id: c.id,
      customer_id: c.contactId,
      channel: c.channel,
      status: c.status,
      lead_id: c.leadId,
      summary: c.summary,
      message_count: c.messageCount,
      created_at: c.createdAt,
      last_message_at: c.lastMessageAt,
    })),
  };
}
