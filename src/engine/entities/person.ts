import { trimEndMatching } from '../../lib/text.js';

const NAME_WORD = String.raw`[A-Z][a-z'’-]+`;
const INTRODUCTION = new RegExp(
  String.raw`(?:\b[Mm]y name(?: is|'s|’s)|\b[Nn]ame(?: is|:)|\b[Tt]his is|\bI am|\bI'm|\bI’m)\s+(${NAME_WORD}(?:\s+${NAME_WORD}){0,2})`,
  'g',
);
/** Capitalised words that follow "I'm" or "this is" without being a name. */
const NOT_A_NAME = new Set([
  'Interested',
  'Looking',
  'Calling',
  'Trying',
  'Not',
  'Just',
  'Ready',
  'Here',
  'Sorry',
  'Thinking',
  'The',
  'An',
  'A',
  'Agent',
  'Caller',
  'Customer',
  'Hi',
  'Hello',
  'Yes',
  'No',
  'Dr',
  'Mr',
  'Mrs',
  'Ms',
  'Google',
  'Your',
  'Our',
  'We',
  'From',
  'With',
  'At',
  'In',
  'And',
  'Writing',
  'Reaching',
  'Following',
]);

/** The name a person gives for themselves ("my name is…", "this is John Smith"), if any. */
export function extractPersonName(text: string): string | null {
  for (const m of text.matchAll(INTRODUCTION)) {
    const words = (m[1] ?? '').split(/\s+/);
    const kept: string[] = [];
    for (const word of words) {
      if (NOT_A_NAME.has(word)) break;
      kept.push(word);
    }
    if (kept.length > 0) return kept.join(' ');
  }
  return null;
}

const STREET_SUFFIX =
  'St|Street|Ave|Avenue|Rd|Road|Dr|Drive|Ln|Lane|Blvd|Boulevard|Way|Ct|Court|Pl|Place|Ter|Terrace|Cir|Circle|Pkwy|Parkway|Hwy|Highway|Trail|Trl|Bend|Loop|Run|Pass|Cove|Crossing|Row|Square|Sq|Plaza|Close|Crescent|Cres|Grove|Mews|Gardens|Walk|Hollow|Pike|Alley';
/** A US zip, a Canadian postal code ("M4B 1K2") or a UK postcode ("SW1A 1AA"). */
const POSTAL_CODE = String.raw`(?:\d{5}(?:-\d{4})?|[A-Z]\d[A-Z]\s?\d[A-Z]\d|[A-Z]{1,2}\d[A-Z\d]?\s\d[A-Z]{2})\b`;
/** ", Austin TX 78745" or ", Toronto ON M4B 1K2" after a street. */
const CITY_AFTER_COMMA = String.raw`(?:,\s*[A-Z][a-zA-Z]+\b(?:\s+[A-Z][a-zA-Z]+\b){0,2}(?:,?\s+[A-Z]{2}\b)?(?:,?\s+${POSTAL_CODE})?)?`;
const ADDRESS = new RegExp(
  // Street words are capitalised or numbered ("W 32nd Ave").
  // A compass point may follow the type ("Queen St W").
  String.raw`\b\d{1,6}\s+(?:[NSEW]\.?\s+)?(?:(?:[A-Z][A-Za-z'-]*|\d{1,3}(?:st|nd|rd|th))\s+){1,4}(?:${STREET_SUFFIX})\b\.?(?:\s+(?:[NS][EW]?|[EW])\b\.?)?` +
    String.raw`(?:,?\s+(?:Apt|Unit|Suite|#)\.?\s*[\w-]+)?` +
    CITY_AFTER_COMMA,
);

/** A city and zip written after the street without a comma ("45 Rundberg Ln Austin 78753"). */
const CITY_AND_ZIP = /^\s+[A-Z][a-zA-Z]+(?:\s+[A-Z][a-zA-Z]+){0,2}(?:\s+[A-Z]{2})?\s+\d{5}\b/;

/** A city closing the message after the street without a comma ("I'm at 350 E Cermak Rd Chicago"). */
const CITY_AT_END =
  /^\s+(?!(?:Thanks?|Thank|Please|Asap|Today|Tonight|Tomorrow|Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*\b)[A-Z][a-zA-Z]+(?:\s+[A-Z][a-zA-Z]+){0,2}(?:\s+[A-Z]{2})?[\s.!]*$/;

/**
 * A street written without its type, which the number and one more mark still make plain: a compass
 * point ("1500 W Elm", "310 West 9th"), a street word that comes first ("1209 Calle Luna"), or a flat
 * or unit after it ("14 Kingsley, flat 2").
 */
const UNTYPED_STREET = new RegExp(
  String.raw`\b\d{1,6}\s+(?:(?:[NSEW]\.?|North|South|East|West)\s+(?:[A-Z][a-z]+|\d{1,3}(?:st|nd|rd|th))\b` +
    String.raw`|(?:Calle|Avenida|Rue|Via|Camino|Strada)\s+(?:de\s+|del\s+|la\s+)?[A-Z][a-z]+\b` +
    String.raw`|[A-Z][a-z]+,?\s+(?:[Ff]lat|[Uu]nit|[Aa]pt\.?|[Aa]partment)\s*\d{1,4}[A-Za-z]?\b)` +
    CITY_AFTER_COMMA,
);

/** A street address written in the text ("4512 Oak Ridge Dr, Austin TX 78745"), if one is obvious. */
export function extractAddress(text: string): string | null {
  const match = ADDRESS.exec(text) ?? UNTYPED_STREET.exec(text);
  if (!match) return null;
  const street = trimEndMatching(match[0], /[.,\s]/);
  const rest = text.slice(match.index + match[0].length);
  const city = street.length === match[0].length ? (CITY_AND_ZIP.exec(rest) ?? CITY_AT_END.exec(rest)) : null;
  return city ? trimEndMatching(`${street}${city[0]}`, /[.!\s]/) : street;
}
