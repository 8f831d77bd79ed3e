import type { AppointmentAnswer } from './appointments.service.js';

/**
 * A customer's short answer about their appointment by text: CONFIRM, "cancel my appointment",
 * RESCHEDULE. A lone CANCEL is not one: carriers read it as an opt-out, and compliance answers it
 * first. Words are compared, never matched by a backtracking pattern; a long message is
 * conversation.
 */

const MAX_CHARS = 160;

const CONFIRM = new Set(['confirm', 'confirmed', 'confirming']);
const RESCHEDULE = new Set(['reschedule', 'rebook']);
const APPOINTMENT = new Set(['appointment', 'appt', 'booking', 'visit']);

export function readAppointmentAnswer(text: string): AppointmentAnswer | undefined {
  if (text.length > MAX_CHARS) return undefined;
  const words = text
    .toLowerCase()
    .split(/[^a-z]+/)
    .filter((w) => w !== '');
  const first = words[0];
  if (first === undefined) return undefined;
  if (CONFIRM.has(first) && words.length <= 3) return 'confirmed';
  if (RESCHEDULE.has(first)) return 'reschedule_requested';
  if (first === 'cancel' && words.slice(1, 4).some((w) => APPOINTMENT.has(w))) return 'cancelled';
  return undefined;
}
