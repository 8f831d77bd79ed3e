import { findPhoneNumbersInText, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';

/**
 * A phone number a person gave us, in E.164. Accepts numbers that are merely *possible*:
 * CallRail and test traffic use 555 numbers that strict validation rejects, and a number the
 * caller typed is still the number to call back.
 */
export function normalisePhone(raw: string | undefined, region: CountryCode): string | null {
  if (!raw?.trim()) return null;
  const parsed = parsePhoneNumberFromString(raw, region);
  return parsed?.isPossible() ? parsed.number : null;
}

const MIN_DIGITS = 7;

/** Phone numbers written in free text, in E.164, in order of appearance (valid numbers only, to skip order ids). */
export function extractPhones(text: string, region: CountryCode): string[] {
  // No phone number has fewer than seven digits; most texts have none, and the finder is slow.
  if ((text.match(/\d/g)?.length ?? 0) < MIN_DIGITS) return [];
  return [...new Set(findPhoneNumbersInText(text, { defaultCountry: region }).map((found) => found.number.number))];
}

/** A run of digits written like a phone number, whether or not it is one. */
const PHONE_SPAN = /\+?\d[\d\s().-]{6,}\d/g;

/** The raw spellings of phone-like numbers in a text, as written. */
export function phoneSpans(text: string): string[] {
  return text.match(PHONE_SPAN) ?? [];
}

/** A number written with its country code ("+44 7700 900412"): the caller chose it, so a possible one is taken, as `normalisePhone` does. */
export function internationalPhones(text: string, region: CountryCode): string[] {
  return phoneSpans(text)
    .filter((raw) => raw.startsWith('+'))
    .flatMap((raw) => normalisePhone(raw, region) ?? []);
}
