import type { AppointmentSample, ConversationSample } from './owner-read-model.repo.js';

/** Neutral figures over a tenant's appointments and conversations, for an owner's dashboard. */

const BOOKED = new Set(['scheduled', 'confirmed', 'completed']);
const UNSPECIFIED = 'unspecified';

export interface ValueTally {
  count: number;
  /** Sum of the estimated values that are known. */
  value: number;
}

/** Appointment counts and known value per key, largest count first. */
function tallyBy(appointments: AppointmentSample[], keyOf: (a: AppointmentSample) => string): [string, ValueTally][] {
  const out = new Map<string, ValueTally>();
  for (const a of appointments) {
    const key = keyOf(a);
    const t = out.get(key) ?? { count: 0, value: 0 };
    t.count += 1;
    t.value += a.estimatedValue ?? 0;
    out.set(key, t);
  }
  return [...out].sort((x, y) => y[1].count - x[1].count || x[0].localeCompare(y[0]));
}

/** Appointments per service type (`unspecified` without one). */
export const serviceMix = (appointments: AppointmentSample[]) =>
  tallyBy(appointments, (a) => a.serviceType ?? UNSPECIFIED);

/** Appointments per status. */
export const pipeline = (appointments: AppointmentSample[]) => tallyBy(appointments, (a) => a.status);

export interface DayLoad {
  date: string;
  appointments: number;
  emergencies: number;
  value: number;
}

export interface Durations {
  samples: number;
  averageMinutes: number | null;
  medianMinutes: number | null;
}

/** From a conversation's start to the appointment it asked for, over the pairs where both are known. */
export function timeToBook(appointments: AppointmentSample[], conversations: ConversationSample[]): Durations {
  const started = new Map(conversations.map((c) => [c.id, Date.parse(c.createdAt)]));
  const minutes: number[] = [];
  for (const a of appointments) {
    const from = a.conversationId ? started.get(a.conversationId) : undefined;
    if (from !== undefined) minutes.push(Math.max(0, (Date.parse(a.createdAt) - from) / 60_000));
  }
  minutes.sort((x, y) => x - y);
  const round = (n: number) => Math.round(n * 10) / 10;
  const mid = minutes.length >> 1;
  const median = minutes.length % 2 ? minutes[mid] : ((minutes[mid - 1] ?? 0) + (minutes[mid] ?? 0)) / 2;
  return {
    samples: minutes.length,
    averageMinutes: minutes.length ? round(minutes.reduce((s, m) => s + m, 0) / minutes.length) : null,
    medianMinutes: minutes.length ? round(median ?? 0) : null,
  };
}

export interface Funnel {
  conversations: number;
  /** Conversations that know who the customer is. */
  identified: number;
  /** Conversations that asked for an appointment. */
  requested: number;
  /** Of those, appointments booked (scheduled, confirmed or completed). */
  booked: number;
  completed: number;
}

export function funnel(appointments: AppointmentSample[], conversations: ConversationSample[]): Funnel {
  const ids = new Set(conversations.map((c) => c.id));
  const of = appointments.filter((a) => a.conversationId !== null && ids.has(a.conversationId));
  const conversationsWith = (keep: (a: AppointmentSample) => boolean) =>
    new Set(of.filter(keep).map((a) => a.conversationId)).size;
  return {
    conversations: conversations.length,
    identified: conversations.filter((c) => c.contactId !== null).length,
    requested: conversationsWith(() => true),
    booked: conversationsWith((a) => BOOKED.has(a.status)),
    completed: conversationsWith((a) => a.status === 'completed'),
  };
}

export interface Completeness {
  appointments: number;
  /** How many appointments have each field. */
  withField: Record<'customer' | 'startTime' | 'serviceType' | 'estimatedValue' | 'technician', number>;
  conversations: number;
  conversationsWithCustomer: number;
}

export function completeness(appointments: AppointmentSample[], conversations: ConversationSample[]): Completeness {
  const count = (keep: (a: AppointmentSample) => boolean) => appointments.filter(keep).length;
  return {
    appointments: appointments.length,
    withField: {
      customer: count((a) => a.contactId !== null),
      startTime: count((a) => a.startTime !== null),
      serviceType: count((a) => a.serviceType !== null),
      estimatedValue: count((a) => a.estimatedValue !== null),
      technician: count((a) => a.technician !== null),
    },
    conversations: conversations.length,
    conversationsWithCustomer: conversations.filter((c) => c.contactId !== null).length,
  };
}
