import { parsePhoneNumberFromString } from 'libphonenumber-js';

/** An international number as given, with its country code (`+14155550123`), that its country's plan says can exist. */
export function isE164Phone(v: string): boolean {
  return v.startsWith('+') && parsePhoneNumberFromString(v)?.isValid() === true;
}
