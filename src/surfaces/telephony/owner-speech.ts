import type { z } from 'zod';
import type { scheduleView, todaySummaryView } from './owner.views.js';

/**
 * The owner's day read aloud: the same figures `/v1/owner/schedule/tomorrow` and
 * `/v1/owner/summary/today` answer in JSON, as sentences for the audio routes and `/twilio/owner-voice`.
 */

type Schedule = z.infer<typeof scheduleView>;
type TodaySummary = z.infer<typeof todaySummaryView>;

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function clockOf(iso: string | null, zone: string): string {
  if (!iso) return 'at a time not yet set';
  const time = new Intl.DateTimeFormat('en-US', { timeZone: zone, hour: 'numeric', minute: '2-digit' });
  return `at ${time.format(new Date(iso))}`;
}

function appointmentSentences(s: Schedule): string[] {
  return s.appointments.map((a) => {
    const what = a.service_type ?? 'an appointment';
    const urgent = a.is_emergency ? ', an emergency' : '';
    const who = a.technician ? `, with ${a.technician}` : '';
    return `${clockOf(a.start_time, s.timezone)}, ${what}${urgent}${who}.`.replace(/^a/, 'A');
  });
}

function dayOpening(s: Schedule, when: string): string {
  if (s.total === 0) return `${when} you have no appointments.`;
  const emergencies = s.emergencies > 0 ? `, ${plural(s.emergencies, 'emergency', 'emergencies')} among them` : '';
  return `${when} you have ${plural(s.total, 'appointment')}${emergencies}.`;
}

/** Tomorrow's schedule as the owner hears it: how many, then each appointment in order. */
export function scheduleSpeech(s: Schedule): string {
  return [dayOpening(s, `Tomorrow, ${s.date},`), ...appointmentSentences(s)].join(' ');
}

/** Today's summary as the owner hears it: appointments, their known value, then new conversations. */
export function todaySummarySpeech(s: TodaySummary): string {
  const value = s.estimated_value > 0 ? `Their known value is ${s.estimated_value}.` : '';
  const channels = Object.entries(s.new_conversations_by_channel)
    .map(([channel, n]) => `${n} by ${channel}`)
    .join(', ');
  const conversations =
    s.new_conversations === 0
      ? 'No new conversations started today.'
      : `${plural(s.new_conversations, 'new conversation')} started today: ${channels}.`;
  return [dayOpening(s, `Today, ${s.date},`), ...appointmentSentences(s), value, conversations]
    .filter(Boolean)
    .join(' ');
}
