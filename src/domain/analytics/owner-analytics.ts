import { zonedDay, type ZonedDay } from '../../lib/zoned-day.js';
import type { DayLoad } from './owner-figures.js';
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
}

export function createOwnerAnalytics(deps: { readModel: OwnerReadModel; clock: { now(): Date } }): OwnerAnalytics {
  const { readModel, clock } = deps;
  return {
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
    async activity(tenantId, days) {
      const since = new Date(clock.now().getTime() - days * DAY_MS).toISOString();
      const [appointments, conversations] = await Promise.all([
        readModel.appointmentsCreatedSince(tenantId, since),
        readModel.conversationsSince(tenantId, since, CONVERSATION_CAP),
      ]);
      return { since, appointments, conversations };
    },
  };
}
