/** Sizes people state in free text. The engine's entity extraction and local enrichment both read them, so they live in lib/, below both. */
import { NUMBER_PATTERN, parseNumber } from './numbers.js';

const PEOPLE = String.raw`(?:people|employees?|staff|reps?|representatives|agents|sellers|salespeople|sdrs|aes|users|members|headcount)`;
/** "50-person sales team", "a 2,000 employee company", "15-person agency". */
const SIZED_ORG = new RegExp(
  String.raw`\b(${NUMBER_PATTERN})[\s-](?:person|people|employee|staff|member|rep|seat|user)\b`,
  'gi',
);
/** "200 employees", "45 inside sales reps", "~300 users". */
const COUNT_OF_PEOPLE = new RegExp(
  String.raw`(?:~|about\s+|around\s+|over\s+|roughly\s+)?\b(${NUMBER_PATTERN})\s+(?:[a-z]+\s+){0,2}?${PEOPLE}\b`,
  'gi',
);
/** "team of 12", "staff of 30", "company of 500 people". */
const ORG_OF = new RegExp(
  String.raw`\b(?:team|staff|company|startup|business|agency|organi[sz]ation|department)\s+of\s+(${NUMBER_PATTERN})\b`,
  'gi',
);
const SOLO = /\b(?:it'?s )?just (me|myself)(?: and (?:an?|my|one) (?:assistant|partner|admin|employee))?\b/i;
const SEATS = new RegExp(String.raw`\b(${NUMBER_PATTERN})\s+(?:[a-z]+\s+)?(?:seats|licen[cs]es|users)\b`, 'gi');
const SQUARE_FEET =
  /(?<!\w|\d[,.])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)\s*(?:sq\.?\s*(?:ft|feet|foot)\.?|sqft|square[\s-]*(?:feet|foot|ft)|sf\b|ft2|ft²)/gi;

function values(text: string, pattern: RegExp): number[] {
  return (
    [...text.matchAll(pattern)]
      // "a real person" is not a headcount of one.
      .filter((m) => !/^an?$/i.test(m[1] ?? ''))
      .map((m) => parseNumber(m[1] ?? ''))
      .filter((n): n is number => n !== null && n > 0 && Number.isInteger(n))
  );
}

/** Headcount of the lead's team or company, the largest the text names; a solo operator is 1 or 2. */
export function extractTeamSize(text: string): number | null {
  const counts = [...values(text, SIZED_ORG), ...values(text, COUNT_OF_PEOPLE), ...values(text, ORG_OF)];
  if (counts.length > 0) return Math.max(...counts);
  const solo = SOLO.exec(text);
  if (solo) return solo[0].includes(' and ') ? 2 : 1;
  return null;
}

/** Seats or licences asked for ("25 seats", "150 licenses"), the largest named. */
export function extractSeats(text: string): number | null {
  const counts = values(text, SEATS);
  return counts.length > 0 ? Math.max(...counts) : null;
}

/** Square footage of the job or property, the first one named. */
export function extractSquareFootage(text: string): number | null {
  const [first] = values(text, SQUARE_FEET);
  return first ?? null;
}

/** A size value from a form ("11-50", "200", "51-200 employees"): its lower bound. */
export function parseSizeValue(value: string): number | null {
  const match = /(\d[\d,]*)/.exec(value);
  return match?.[1] ? parseNumber(match[1]) : null;
}
