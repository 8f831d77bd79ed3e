import { zonedDay, type ZonedDay } from '../../lib/zoned-day.js';
import type { PeopleActivity } from './owner-customer-figures.js';
import type { DayLoad } from './owner-figures.js';
import type { OwnerPeopleReadModel } from './owner-people.repo.js';
import type { AppointmentSample, ConversationSample, OwnerReadModel } from './owner-read-model.repo.js';

/** Enough for any one tenant's window of figures; a dashboard, not a data export. */
const CONVERSATION_CAP = 10_000;
const DAY_MS = 86_400_000;

export interface OwnerDay {
  day: ZonedDay;
  /** Appointments starting that day, earliest first. */
  appointments: AppointmentSample[];
  /** Conversations started that day, newest first. */
  conversations: ConversationSample[];
}

export interface OwnerActivity {
  /** The window's first instant. */
  since: string;
  /** Appointments created in the window, oldest first. */
  appointments: AppointmentSample[];
  /** Conversations started in the window, newest first. */
  conversations: ConversationSample[];
}

export interface OwnerAnalytics {
  /** The local day `offsetDays` from today in `zone` (0 today, 1 tomorrow). */
  day(tenantId: string, zone: string, offsetDays: number): Promise<OwnerDay>;
  /** Each of the next `days` local days from today: its appointments, emergencies and known value. */
  workload(tenantId: string, zone: string, days: number): Promise<DayLoad[]>;
  /** What was created in the last `days` days. */
  activity(tenantId: string, days: number): Promise<OwnerActivity>;
  /** What was created in the last `days` days across every channel, with the customers behind it and the messages sent to them. */
  people(tenantId: string, days: number): Promise<PeopleActivity>;
  /** Appointments whose customer asked to move them, most recently asked first. */
  reschedules(tenantId: string, limit: number): Promise<AppointmentSample[]>;
}

export function createOwnerAnalytics(deps: {
  readModel: OwnerReadModel;
  people: OwnerPeopleReadModel;
  clock: { now(): Date };
}): OwnerAnalytics {
  const { readModel, clock } = deps;
  const activity = async (tenantId: string, days: number): Promise<OwnerActivity> => {
    const since = new Date(clock.now().getTime() - days * DAY_MS).toISOString();
    const [appointments, conversations] = await Promise.all([
      readModel.appointmentsCreatedSince(tenantId, since),
      readModel.conversationsSince(tenantId, since, CONVERSATION_CAP),
    ]);
    return { since, appointments, conversations };
  };
  return {
    activity,
    people: async (tenantId, days) => peopleOf(deps.people, tenantId, await activity(tenantId, days)),
    reschedules: (tenantId, limit) => readModel.appointmentsWithStatus(tenantId, 'reschedule_requested', limit),
    async day(tenantId, zone, offsetDays) {
      const day = zonedDay(clock.now(), zone, offsetDays);
      const [from, to] = [day.start.toISOString(), day.end.toISOString()];
      const appointments = await readModel.appointmentsStarting(tenantId, from, to);
      const conversations = (await readModel.conversationsSince(tenantId, from, CONVERSATION_CAP)).filter(
        (c) => c.createdAt < to,
      );
      return { day, appointments, conversations };
    },
    async workload(tenantId, zone, days) {
      const now = clock.now();
      const spans = Array.from({ length: days }, (_, i) => zonedDay(now, zone, i));
      const first = spans[0];
      const last = spans.at(-1);
      if (!first || !last) return [];
      const all = await readModel.appointmentsStarting(tenantId, first.start.toISOString(), last.end.toISOString());
      return spans.map((span) => {
        const [from, to] = [span.start.toISOString(), span.end.toISOString()];
        const those = all.filter((a) => a.startTime !== null && a.startTime >= from && a.startTime < to);
        return {
          date: span.date,
          appointments: those.length,
          emergencies: those.filter((a) => a.isEmergency).length,
          value: those.reduce((s, a) => s + (a.estimatedValue ?? 0), 0),
        };
      });
    },
  };
}

async function peopleOf(people: OwnerPeopleReadModel, tenantId: string, a: OwnerActivity): Promise<PeopleActivity> {
  const [leads, sends] = await Promise.all([
    people.leadsSince(tenantId, a.since),
    people.sendsSince(tenantId, a.since),
  ]);
  const ids = [...a.appointments, ...a.conversations, ...leads]
    .map((x) => x.contactId)
    .filter((id): id is string => id !== null);
  const [customers, bookedBefore] = await Promise.all([
    people.customers(tenantId, ids),
    people.bookedBefore(tenantId, ids, a.since),
  ]);
  return { ...a, leads, sends, customers, bookedBefore };
}
