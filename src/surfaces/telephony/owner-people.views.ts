import { z } from 'zod';
import {
  reviewReasons,
  type AppointmentSample,
  type ConversationSample,
  type CustomerFigures,
  type MessageReturns,
  type Neighborhood,
  type ServiceEconomics,
} from '../../domain/analytics/index.js';
import {
  appointmentOf,
  ownerAppointmentView,
  ownerCsv,
  rateField,
  share,
  windowed,
  windowOf,
  type Window,
} from './owner.views.js';

/** Spec C's owner figures about customers, services, areas, follow-ups and retention, and the owner's to-do lists. */

export const customerAnalyticsView = z.object({
  ...windowed,
  customers: z.number().describe('distinct customers with an appointment, conversation or lead in the window'),
  new_customers: z.number(),
  returning_customers: z.number().describe('customers who had booked before the window'),
  repeat_customers: z.number().describe('customers with two or more appointments in the window'),
  by_channel: z.array(z.object({ channel: z.string(), customers: z.number() })),
  top_customers: z.array(
    z.object({
      customer_id: z.string(),
      name: z.string().nullable(),
      appointments: z.number(),
      estimated_value: z.number(),
    }),
  ),
});

export function customerAnalyticsViewOf(w: Window, f: CustomerFigures): z.infer<typeof customerAnalyticsView> {
  return {
    ...windowOf(w),
    customers: f.customers,
    new_customers: f.newCustomers,
    returning_customers: f.returningCustomers,
    repeat_customers: f.repeatCustomers,
    by_channel: f.byChannel.map(([channel, customers]) => ({ channel, customers })),
    top_customers: f.top.map((c) => ({
      customer_id: c.contactId,
      name: c.name,
      appointments: c.appointments,
      estimated_value: c.value,
    })),
  };
}

export const serviceEconomicsView = z.object({
  ...windowed,
  items: z.array(
    z.object({
      service_type: z.string(),
      appointments: z.number(),
      completed: z.number(),
      cancelled: z.number(),
      emergencies: z.number(),
      estimated_value: z.number(),
      completed_value: z.number(),
      average_value: z.number().nullable(),
      completion_rate: rateField,
    }),
  ),
});

export function serviceEconomicsViewOf(w: Window, items: ServiceEconomics[]): z.infer<typeof serviceEconomicsView> {
  return {
    ...windowOf(w),
    items: items.map((i) => ({
      service_type: i.serviceType,
      appointments: i.appointments,
      completed: i.completed,
      cancelled: i.cancelled,
      emergencies: i.emergencies,
      estimated_value: i.value,
      completed_value: i.completedValue,
      average_value: i.averageValue,
      completion_rate: share(i.completed, i.appointments),
    })),
  };
}

export const neighborhoodsView = z.object({
  ...windowed,
  items: z.array(
    z.object({
      neighborhood: z.string().describe("the ZIP code of the customer's address, else its town; `unspecified` without"),
      appointments: z.number(),
      customers: z.number(),
      emergencies: z.number(),
      estimated_value: z.number(),
    }),
  ),
});

export function neighborhoodsViewOf(w: Window, items: Neighborhood[]): z.infer<typeof neighborhoodsView> {
  return {
    ...windowOf(w),
    items: items.map((n) => ({
      neighborhood: n.area,
      appointments: n.appointments,
      customers: n.customers,
      emergencies: n.emergencies,
      estimated_value: n.value,
    })),
  };
}

const returnsFields = {
  messages_sent: z.number(),
  customers_messaged: z.number(),
  customers_booked_after: z.number(),
  booking_rate: rateField,
};
const returnsOf = (r: MessageReturns) => ({
  messages_sent: r.sent,
  customers_messaged: r.customers,
  customers_booked_after: r.booked,
  booking_rate: share(r.booked, r.customers),
});

export const followupsView = z.object({
  ...windowed,
  ...returnsFields,
  awaiting_followup: z.number().describe('conversations with a lead or customer and no appointment asked for'),
});

export function followupsViewOf(w: Window, r: MessageReturns, awaiting: number): z.infer<typeof followupsView> {
  return { ...windowOf(w), ...returnsOf(r), awaiting_followup: awaiting };
}

export const retentionView = z.object({ ...windowed, ...returnsFields });

export function retentionViewOf(w: Window, r: MessageReturns): z.infer<typeof retentionView> {
  return { ...windowOf(w), ...returnsOf(r) };
}

const conversationItem = {
  id: z.string(),
  customer_id: z.string().nullable(),
  channel: z.string(),
  status: z.string(),
  lead_id: z.string().nullable(),
  summary: z.string().nullable(),
  created_at: z.string(),
  last_message_at: z.string().nullable(),
};
const conversationItemOf = (c: ConversationSample) => ({
  id: c.id,
  customer_id: c.contactId,
  channel: c.channel,
  status: c.status,
  lead_id: c.leadId,
  summary: c.summary,
  created_at: c.createdAt,
  last_message_at: c.lastMessageAt,
});

export const reviewView = z.object({
  ...windowed,
  items: z.array(
    z.object({
      ...conversationItem,
      reasons: z.array(z.enum(['flagged', 'negative_outcome', 'handoff', 'negative_sentiment'])),
      flags: z.array(z.string()),
      outcome: z.string().nullable(),
    }),
  ),
});

export function reviewViewOf(w: Window, conversations: ConversationSample[]): z.infer<typeof reviewView> {
  return {
    ...windowOf(w),
    items: conversations.map((c) => ({
      ...conversationItemOf(c),
      reasons: reviewReasons(c),
      flags: c.qa.flags,
      outcome: c.qa.outcome,
    })),
  };
}

export const callbacksView = z.object({
  ...windowed,
  items: z.array(
    z.object({ ...conversationItem, name: z.string().nullable(), phone: z.string().nullable(), open: z.boolean() }),
  ),
});

export function callbacksViewOf(w: Window, conversations: ConversationSample[]): z.infer<typeof callbacksView> {
  return {
    ...windowOf(w),
    items: conversations.map((c) => ({
      ...conversationItemOf(c),
      name: c.collected.name,
      phone: c.collected.phone,
      open: c.status !== 'closed',
    })),
  };
}

export const reschedulesView = z.object({
  business_id: z.string(),
  items: z.array(ownerAppointmentView.extend({ requested_at: z.string() })),
});

export function reschedulesViewOf(tenantId: string, items: AppointmentSample[]): z.infer<typeof reschedulesView> {
  return {
    business_id: tenantId,
    items: items.map((a) => ({ ...appointmentOf(a), requested_at: a.updatedAt })),
  };
}

const CONVERSATION_COLUMNS = [
  'id',
  'created_at',
  'channel',
  'status',
  'customer_id',
  'lead_id',
  'message_count',
  'last_message_at',
  'sentiment',
  'qa_outcome',
  'qa_flags',
  'summary',
] as const;

/** The window's conversations, one a line, newest first. */
export function conversationsCsv(conversations: ConversationSample[]): string {
  return ownerCsv(
    CONVERSATION_COLUMNS,
    conversations.map((c) => ({
      id: c.id,
      created_at: c.createdAt,
      channel: c.channel,
      status: c.status,
      customer_id: c.contactId,
      lead_id: c.leadId,
      message_count: c.messageCount,
      last_message_at: c.lastMessageAt,
      sentiment: c.sentiment,
      qa_outcome: c.qa.outcome,
      qa_flags: c.qa.flags.join(';'),
      summary: c.summary,
    })),
  );
}
