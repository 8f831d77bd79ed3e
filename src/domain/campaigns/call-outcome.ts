import type { CallOutcome } from './campaigns.records.js';

/**
 * What a call a person answered came to, read from what they said: a refusal first (it outweighs
 * any polite "yes"), then a request to call back, then a booking, then interest. Phrases are
 * matched as plain substrings of the lower-cased transcript (no patterns to backtrack).
 */

const MAX_CHARS = 4000;

const REFUSAL = [
  'not interested',
  'no thanks',
  'no thank you',
  'remove my number',
  "don't call",
  'do not call',
  'stop calling',
];
const CALLBACK = [
  'call me back',
  'call back',
  'call me later',
  'call later',
  'another time',
  'busy right now',
  'not a good time',
];
const BOOKING = ['appointment', 'book', 'site visit', 'schedule', 'come over', 'meet'];
const INTEREST = ['interested', 'price', 'pricing', 'cost', 'budget', 'tell me more', 'sounds good', 'quote'];

const says = (text: string, phrases: readonly string[]) => phrases.some((p) => text.includes(p));

export function judgeConversation(lines: readonly string[]): CallOutcome {
  const text = lines.join('\n').toLowerCase().slice(0, MAX_CHARS);
  if (says(text, REFUSAL)) return 'not_interested';
  if (says(text, CALLBACK)) return 'callback_requested';
  if (says(text, BOOKING)) return 'appointment_booked';
  if (says(text, INTEREST)) return 'qualified';
  return 'not_interested';
}

/** Twilio's end of an outbound call (`CallStatus`, `AnsweredBy`); undefined while the call is not over. */
export function twilioCallEnd(
  callStatus: string,
  answeredBy: string | undefined,
): CallOutcome | 'answered' | undefined {
  switch (callStatus) {
    case 'busy':
      return 'busy';
    case 'no-answer':
    case 'failed':
    case 'canceled':
      return 'no_answer';
    case 'completed':
      return answeredBy?.startsWith('machine') || answeredBy === 'fax' ? 'voicemail' : 'answered';
    default:
      return undefined;
  }
}

/** Exotel's end of a call (`Status` / `DialCallStatus`: completed, busy, no-answer, failed, canceled). */
export function exotelCallEnd(status: string): CallOutcome | 'answered' | undefined {
  return twilioCallEnd(status, undefined);
}
