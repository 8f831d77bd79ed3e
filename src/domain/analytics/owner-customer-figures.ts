import type { CustomerSample, LeadSample, SendSample } from './owner-people.repo.js';
import type { AppointmentSample, ConversationSample } from './owner-read-model.repo.js';
import type { ValueTally } from './owner-figures.js';

/** Neutral figures about an owner's customers, services, areas and the messages that bring them back. */

const UNSPECIFIED = 'unspecified';
const NEGATIVE_OUTCOMES = new Set(['negative', 'lost', 'complaint', 'escalated', 'unresolved', 'bad', 'failed']);
const HANDED_OFF = new Set(['waiting_agent', 'with_agent']);
/** A US ZIP code (five digits, standing alone), the neighbourhood key when an address has one. */
const ZIP = /\b(\d{5})(?:-\d{4})?\b/g;
const MAX_ADDRESS = 500;

/** Everything an owner's customer figures read over one window. */
export interface PeopleActivity {
  since: string;
  appointments: AppointmentSample[];
  conversations: ConversationSample[];
  leads: LeadSample[];
  /** Follow-up and retention messages sent in the window. */
  sends: SendSample[];
  /** The customers behind the window's appointments, conversations and leads. */
  customers: CustomerSample[];
  /** Of those, the ones who had booked before the window. */
  bookedBefore: Set<string>;
}

export interface CustomerFigures {
  customers: number;
  newCustomers: number;
  returningCustomers: number;
  /** Customers with two or more appointments in the window. */
  repeatCustomers: number;
  /** Distinct customers per channel (a conversation's channel, a lead's source, `crm` for CRM bookings). */
  byChannel: [string, number][];
  /** The customers with the most appointments, then the most known value: at most ten. */
  top: { contactId: string; name: string | null; appointments: number; value: number }[];
}

function distinctBy(pairs: [string, string | null][]): [string, number][] {
  const sets = new Map<string, Set<string>>();
  for (const [key, id] of pairs) if (id) sets.set(key, (sets.get(key) ?? new Set()).add(id));
  return [...sets]
    .map(([k, s]): [string, number] => [k, s.size])
    .sort((x, y) => y[1] - x[1] || x[0].localeCompare(y[0]));
}

export function customerFigures(p: PeopleActivity): CustomerFigures {
  const perCustomer = new Map<string, ValueTally>();
  for (const a of p.appointments) {
    if (!a.contactId) continue;
    const t = perCustomer.get(a.contactId) ?? { count: 0, value: 0 };
    perCustomer.set(a.contactId, { count: t.count + 1, value: t.value + (a.estimatedValue ?? 0) });
  }
  const names = new Map(p.customers.map((c) => [c.id, c.name]));
  const active = new Set(p.customers.map((c) => c.id));
  return {
    customers: active.size,
    newCustomers: p.customers.filter((c) => c.createdAt >= p.since).length,
    returningCustomers: [...active].filter((id) => p.bookedBefore.has(id)).length,
    repeatCustomers: [...perCustomer.values()].filter((t) => t.count >= 2).length,
    byChannel: distinctBy([
      ...p.conversations.map((c): [string, string | null] => [c.channel, c.contactId]),
      ...p.leads.map((l): [string, string | null] => [l.source, l.contactId]),
      ...p.appointments.filter((a) => a.source === 'crm').map((a): [string, string | null] => ['crm', a.contactId]),
    ]),
    top: [...perCustomer]
      .sort((x, y) => y[1].count - x[1].count || y[1].value - x[1].value || x[0].localeCompare(y[0]))
      .slice(0, 10)
      .map(([id, t]) => ({ contactId: id, name: names.get(id) ?? null, appointments: t.count, value: t.value })),
  };
}

export interface ServiceEconomics {
  serviceType: string;
  appointments: number;
  completed: number;
  cancelled: number;
  emergencies: number;
  /** Known value of all, and of the completed ones. */
  value: number;
  completedValue: number;
  /** Average over the appointments whose value is known; null when none is. */
  averageValue: number | null;
}

export function serviceEconomics(appointments: AppointmentSample[]): ServiceEconomics[] {
  const groups = new Map<string, AppointmentSample[]>();
  for (const a of appointments) {
    const key = a.serviceType ?? UNSPECIFIED;
    groups.set(key, [...(groups.get(key) ?? []), a]);
  }
  const valueOf = (list: AppointmentSample[]) => list.reduce((s, a) => s + (a.estimatedValue ?? 0), 0);
  return [...groups]
    .map(([serviceType, list]) => {
      const known = list.filter((a) => a.estimatedValue !== null);
      const completed = list.filter((a) => a.status === 'completed');
      return {
        serviceType,
        appointments: list.length,
        completed: completed.length,
        cancelled: list.filter((a) => a.status === 'cancelled').length,
        emergencies: list.filter((a) => a.isEmergency).length,
        value: valueOf(list),
        completedValue: valueOf(completed),
        averageValue: known.length ? Math.round((valueOf(known) / known.length) * 100) / 100 : null,
      };
    })
    .sort((x, y) => y.value - x.value || y.appointments - x.appointments || x.serviceType.localeCompare(y.serviceType));
}

/** The ZIP code of an address, else the part after its first comma (the town), lower-cased; null without either. */
export function neighborhoodOf(address: string | null): string | null {
  if (!address || address.length > MAX_ADDRESS) return null;
  const zip = [...address.matchAll(ZIP)].at(-1)?.[1];
  if (zip) return zip;
  const town = address.split(',')[1]?.trim().toLowerCase();
  return town ? town : null;
}

export interface Neighborhood {
  area: string;
  appointments: number;
  customers: number;
  emergencies: number;
  value: number;
}

export function neighborhoods(appointments: AppointmentSample[], customers: CustomerSample[]): Neighborhood[] {
  const areaOf = new Map(customers.map((c) => [c.id, neighborhoodOf(c.address)]));
  const out = new Map<string, { n: Neighborhood; people: Set<string> }>();
  for (const a of appointments) {
    const area = (a.contactId ? areaOf.get(a.contactId) : null) ?? UNSPECIFIED;
    const e = out.get(area) ?? {
      n: { area, appointments: 0, customers: 0, emergencies: 0, value: 0 },
      people: new Set<string>(),
    };
    e.n.appointments += 1;
    e.n.emergencies += a.isEmergency ? 1 : 0;
    e.n.value += a.estimatedValue ?? 0;
    if (a.contactId) e.people.add(a.contactId);
    out.set(area, e);
  }
  return [...out.values()]
    .map(({ n, people }) => ({ ...n, customers: people.size }))
    .sort((x, y) => y.appointments - x.appointments || x.area.localeCompare(y.area));
}

export interface MessageReturns {
  sent: number;
  customers: number;
  /** Customers who asked for an appointment after the message. */
  booked: number;
}

/** How many customers a kind of message (`followup`, `retention`) reached, and how many booked after it. */
export function messageReturns(kind: string, p: PeopleActivity): MessageReturns {
  const firstSent = new Map<string, string>();
  const sends = p.sends.filter((s) => s.kind === kind);
  for (const s of sends) if (!firstSent.has(s.contactId)) firstSent.set(s.contactId, s.createdAt);
  const booked = new Set(
    p.appointments
      .filter((a) => a.contactId !== null && a.createdAt > (firstSent.get(a.contactId) ?? '\uffff'))
      .map((a) => a.contactId),
  );
  return { sent: sends.length, customers: firstSent.size, booked: booked.size };
}

/** Conversations with a lead or a customer and no appointment asked for: who a follow-up could still bring in. */
export function awaitingFollowup(p: PeopleActivity): number {
  const asked = new Set(p.appointments.map((a) => a.conversationId).filter((id) => id !== null));
  const withBooking = new Set(p.appointments.map((a) => a.contactId).filter((id) => id !== null));
  return p.conversations.filter(
    (c) => (c.leadId ?? c.contactId) && !asked.has(c.id) && !(c.contactId && withBooking.has(c.contactId)),
  ).length;
}

export type ReviewReason = 'flagged' | 'negative_outcome' | 'handoff' | 'negative_sentiment';

/** Why a conversation needs a reviewer's eyes; empty when it does not. */
export function reviewReasons(c: ConversationSample): ReviewReason[] {
  const reasons: ReviewReason[] = [];
  if (c.qa.flags.length > 0) reasons.push('flagged');
  if (c.qa.outcome && NEGATIVE_OUTCOMES.has(c.qa.outcome.toLowerCase())) reasons.push('negative_outcome');
  if (c.stage === 'handed_off' || HANDED_OFF.has(c.status)) reasons.push('handoff');
  if (c.sentiment === 'negative') reasons.push('negative_sentiment');
  return reasons;
}

/** Conversations that took the customer's details and closed promising that someone calls back (`callbacks_by_business` counts the same). */
export const callbackRequests = (conversations: ConversationSample[]) =>
  conversations.filter((c) => c.stage === 'completed');
