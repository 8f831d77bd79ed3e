import type { ReminderCandidate, ReminderKind } from './reminders.repo.js';

/** When the appointment starts, in the business's own zone. */
function localTime(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-US', { timeZone, dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
}

/**
 * The SMS each run sends. The upcoming reminder names CONFIRM and RESCHEDULE, which the SMS webhook
 * understands; never CANCEL, which is an opt-out keyword there.
 */
export function reminderText(
  kind: ReminderKind,
  who: ReminderCandidate,
  business: { name: string; timezone: string },
): string {
  const hi = who.name ? `Hi ${who.name.split(' ')[0]}` : 'Hi';
  switch (kind) {
    case 'upcoming': {
      const what = who.serviceType ? `${who.serviceType} appointment` : 'appointment';
      const when = who.at ? ` on ${localTime(who.at, business.timezone)}` : '';
      return `${hi}, this is ${business.name} reminding you of your ${what}${when}. Reply CONFIRM to confirm or RESCHEDULE to change it.`;
    }
    case 'followup':
      return `${hi}, thanks for reaching out to ${business.name}. Would you like to book a time? Reply here and we will set it up.`;
    case 'retention':
      return `${hi}, it has been a while since your last visit with ${business.name}. Reply here to book your next appointment.`;
  }
}
