import { median, percentile, round, roundOrNull } from './figures.js';
import type {
  FirstConversation,
  RangeAppointment,
  RangeFiguresReadModel,
  RangeLead,
  RangeMessage,
} from './range-figures.repo.js';
import type { TimeRange } from './chat-usage.repo.js';

/** An appointment in one of these states was booked; `requested` and `cancelled` were not. */
const BOOKED = new Set(['scheduled', 'confirmed', 'completed']);
const QUALIFIED = new Set(['WARM', 'HOT']);

/** How many leads of the range reached each stage; each stage's leads are among the previous one's, qualified aside. */
export interface RangeFunnel {
  leads: number;
  /** Scored WARM or HOT. */
  qualified: number;
  /** With an appointment asked for, or booked. */
  appointmentRequested: number;
  /** With an appointment booked (scheduled, confirmed or completed), or marked won. */
  booked: number;
}

/** The middle and the 90th percentile of a set of durations; null, not NaN, when the set is empty. */
export interface Spread {
  samples: number;
  median: number | null;
  p90: number | null;
}

export interface RangeCosts {
  aiUsd: number;
  sttUsd: number;
  totalUsd: number;
  /** Each divided by the range's leads; null when it had none. */
  aiPerLeadUsd: number | null;
  sttPerLeadUsd: number | null;
  totalPerLeadUsd: number | null;
}

export interface RangeFigures {
  funnel: RangeFunnel;
  /** Minutes from a lead's first contact to its first booked appointment. */
  timeToBookMinutes: Spread;
  /** Seconds from a visitor's message to the next reply, by who replied. */
  responseSeconds: { bot: Spread; human: Spread };
  costs: RangeCosts;
}

export interface RangeAnalytics {
  /** The figures of the leads, messages and costs of `[from, to)`. */
  figures(tenantId: string, range: TimeRange): Promise<RangeFigures>;
}

/** The spread of unsorted values, rounded to `places`. */
export function spreadOf(values: readonly number[], places = 1): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    samples: sorted.length,
    median: roundOrNull(median(sorted), places),
    p90: roundOrNull(percentile(sorted, 90), places),
  };
}

/** Rows by the lead and the person they belong to, so each lead finds its own without a scan of all. */
function byLeadAndPerson<T extends { leadId: string | null; contactId: string | null }>(rows: readonly T[]) {
  const index = new Map<string, T[]>();
  const add = (key: string, row: T) => {
    const rows = index.get(key);
    if (rows) rows.push(row);
    else index.set(key, [row]);
  };
  for (const row of rows) {
    if (row.leadId !== null) add(`l:${row.leadId}`, row);
    if (row.contactId !== null) add(`c:${row.contactId}`, row);
  }
  return (lead: RangeLead): T[] => [
    ...new Set([
      ...(index.get(`l:${lead.id}`) ?? []),
      ...(lead.contactId ? (index.get(`c:${lead.contactId}`) ?? []) : []),
    ]),
  ];
}

const isBooked = (lead: RangeLead, appointments: readonly RangeAppointment[]) =>
  lead.wonAt !== null || appointments.some((a) => BOOKED.has(a.status));

export function rangeFunnel(leads: readonly RangeLead[], appointments: readonly RangeAppointment[]): RangeFunnel {
  const appointmentsOf = byLeadAndPerson(appointments);
  let requested = 0;
  let booked = 0;
  for (const lead of leads) {
    const own = appointmentsOf(lead);
    if (isBooked(lead, own)) booked += 1;
    if (own.length > 0 || isBooked(lead, own)) requested += 1;
  }
  return {
    leads: leads.length,
    qualified: leads.filter((l) => QUALIFIED.has(l.tier?.toUpperCase() ?? '')).length,
    appointmentRequested: requested,
    booked,
  };
}

/** Minutes from each booked lead's first contact (its creation, or its person's first conversation if earlier) to its first booking. */
export function timeToBook(
  leads: readonly RangeLead[],
  appointments: readonly RangeAppointment[],
  conversations: readonly FirstConversation[],
): Spread {
  const appointmentsOf = byLeadAndPerson(appointments);
  const conversationsOf = byLeadAndPerson(conversations);
  const minutes: number[] = [];
  for (const lead of leads) {
    const bookedAt = appointmentsOf(lead)
      .filter((a) => BOOKED.has(a.status))
      .map((a) => Date.parse(a.createdAt));
    if (bookedAt.length === 0) continue;
    const contacts = conversationsOf(lead).map((c) => Date.parse(c.createdAt));
    const first = Math.min(Date.parse(lead.createdAt), ...contacts);
    minutes.push(Math.max(0, (Math.min(...bookedAt) - first) / 60_000));
  }
  return spreadOf(minutes);
}

/**
 * Seconds from a visitor's message to the next reply in the same conversation, by whether the bot
 * or a person answered. A run of visitor messages waits from its first one: that is how long they waited.
 */
export function responseTimes(messages: readonly RangeMessage[]): { bot: Spread; human: Spread } {
  const bot: number[] = [];
  const human: number[] = [];
  let conversation: string | null = null;
  let waitingSince: number | null = null;
  for (const m of messages) {
    if (m.conversationId !== conversation) [conversation, waitingSince] = [m.conversationId, null];
    const at = Date.parse(m.createdAt);
    if (m.sender === 'customer') waitingSince ??= at;
    else if (waitingSince !== null) {
      (m.sender === 'bot' ? bot : human).push(Math.max(0, (at - waitingSince) / 1000));
      waitingSince = null;
    }
  }
  return { bot: spreadOf(bot), human: spreadOf(human) };
}

/** Costs to the micro-dollar, in total and per lead. */
export function rangeCosts(aiUsd: number, sttUsd: number, leads: number): RangeCosts {
  const usd = (n: number) => round(n, 6);
  const perLead = (n: number) => (leads > 0 ? usd(n / leads) : null);
  return {
    aiUsd: usd(aiUsd),
    sttUsd: usd(sttUsd),
    totalUsd: usd(aiUsd + sttUsd),
    aiPerLeadUsd: perLead(aiUsd),
    sttPerLeadUsd: perLead(sttUsd),
    totalPerLeadUsd: perLead(aiUsd + sttUsd),
  };
}

export function createRangeAnalytics(deps: { readModel: RangeFiguresReadModel }): RangeAnalytics {
  const { readModel } = deps;
  return {
    async figures(tenantId, range) {
      const [leads, appointments, conversations, messages, aiUsd, sttUsd] = await Promise.all([
        readModel.leads(tenantId, range),
        readModel.appointments(tenantId, range),
        readModel.firstConversations(tenantId, range),
        readModel.messages(tenantId, range),
        readModel.aiCostUsd(tenantId, range),
        readModel.sttCostUsd(tenantId, range),
      ]);
      return {
        funnel: rangeFunnel(leads, appointments),
        timeToBookMinutes: timeToBook(leads, appointments, conversations),
        responseSeconds: responseTimes(messages),
        costs: rangeCosts(aiUsd, sttUsd, leads.length),
      };
    },
  };
}
