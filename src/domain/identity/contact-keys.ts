import { parsePhoneNumberFromString } from 'libphonenumber-js';

/** Channels whose platform user id is the person's phone number. */
export const PHONE_CHANNELS = new Set(['whatsapp', 'sms', 'voice']);

/** E.164, or undefined when the text cannot be a phone number (national numbers are read as US). */
export function normalisePhone(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  const parsed = parsePhoneNumberFromString(raw.replace(/^whatsapp:/i, '').trim(), 'US');
  return parsed?.isPossible() ? parsed.number : undefined;
}

export function normaliseEmail(raw: string | undefined): string | undefined {
  const email = raw?.trim().toLowerCase();
  return email && /^[^\s@]+@[^\s@.]+(?:\.[^\s@.]+)+$/.test(email) ? email : undefined;
}
