import type { TimelineBucket, TimelineReading } from '../entities/timeline.js';
import { affirmed, negated, type Hit } from './hit.js';
import type { ReadText } from './nlp.js';
import { findPhrases, phraseSet } from './phrases.js';

/** The rubric's Timeline: how soon the lead will act, from dates chrono-node reads and deadline words. */
export interface TimelineSignals {
  /** Days to the nearest horizon the lead named, if any. */
  days: number | null;
  /** The words that named it. */
  phrase: string | null;
  /** A word that means now: asap, today, emergency. */
  now: Hit | null;
  /** A deadline with no date: "before the semester", "end of quarter", "in time for the season". */
  deadline: Hit | null;
  /** No hurry: "no rush", "not urgent", "not anytime soon". */
  relaxed: Hit | null;
}

/** A form's bucket stands for a day count in its middle, so "1-3 months" weighs like "in six weeks". */
const BUCKET_DAYS: Readonly<Record<TimelineBucket, number>> = {
  immediate: 7,
  '1-3_months': 45,
  '3-6_months': 135,
  '6-12_months': 270,
  '12+_months': 540,
};

const DEADLINE = phraseSet([
  ...['deadline', 'due', 'in time for', 'no later than', 'before the', 'by the', 'ahead of', 'end of'],
  ...['fiscal year', 'semester', 'school year', 'quarter', 'eoq', 'eom', 'closing date', 'move-in', 'move in'],
  ...['lease end', 'go-live', 'go live', 'launch', 'opening', 'grand opening', 'this season', 'before we open'],
]);
/** Days past which a dated horizon outweighs a bare "now". */
const NOW_BESIDE_DATE = 14;
/** Words of acting now that also describe the present ("we're on Gusto right now"): a later date outweighs them. */
const WEAK_NOW = new Set(['now', 'right now', 'on our way', 'on my way']);
/** "Now" after these tells how things stand, not when to act: "fine for now", "a year now". */
const STATE_BEFORE_NOW = new Set(['for', 'year', 'month', 'week', 'day', 'while', 'ago']);
/** Acting now; affirmed only, so "no budget right now" is not a timeline. */
const NOW = phraseSet([
  ...['now', 'right now', 'today', 'tonight', 'asap', 'a.s.a.p', 'immediately', 'right away', 'urgent'],
  ...['urgently', 'emergency', 'same day', 'same-day', 'this week', 'this weekend', 'tomorrow', 'as soon as'],
  ...['quickly', 'fast', 'straight away'],
  // On the way now: "we're 5 minutes away", "on my way".
  ...['# minute away', '# minutes away', '# min away', '# mins away', 'on our way', 'on my way'],
]);
const SOON = phraseSet(['urgent', 'urgently', 'soon', 'anytime soon', 'any time soon', 'rush', 'hurry', 'asap']);
const RELAXED = phraseSet(['no rush', 'no hurry', 'take our time', 'take my time', 'whenever', 'flexible']);

/** A deadline word, unless it names the period after this one ("next fiscal year", "next quarter"), which is no deadline. */
function deadline(read: ReadText): Hit | null {
  const match = findPhrases(read, DEADLINE).find((m) => !m.negated && read.tokens[m.start - 1]?.lemma !== 'next');
  return match ? { text: match.text.toLowerCase() } : null;
}

/** The date words sit inside a negation: "no budget right now", "not this week". */
function deniedPhrase(read: ReadText, phrase: string | null): boolean {
  if (!phrase) return false;
  const [match] = findPhrases(read, phraseSet([phrase.toLowerCase()]));
  return match?.negated ?? false;
}

function actingNow(read: ReadText): Hit | null {
  const match = findPhrases(read, NOW).find(
    (m) =>
      !m.negated && !(m.text.toLowerCase() === 'now' && STATE_BEFORE_NOW.has(read.tokens[m.start - 1]?.lemma ?? '')),
  );
  return match ? { text: match.text.toLowerCase() } : null;
}

export function readTimeline(read: ReadText, reading: TimelineReading): TimelineSignals {
  const relaxed = affirmed(read, RELAXED) ?? negated(read, SOON) ?? (reading.relaxed ? { text: 'no rush' } : null);
  // "Not urgent" and "no budget right now" name the present only to deny it.
  // A bare "now" beside a date further off is about the asking ("a rough price now"), not the doing.
  const said = relaxed ? null : actingNow(read);
  const now = said && WEAK_NOW.has(said.text) && reading.days !== null && reading.days > NOW_BESIDE_DATE ? null : said;
  const urgentOnly = reading.urgentTerm !== null && reading.phrase?.toLowerCase() === reading.urgentTerm;
  const denied = deniedPhrase(read, reading.phrase);
  const days = (urgentOnly && !now) || denied ? null : reading.days;
  return {
    days: days ?? (reading.bucket && !denied ? BUCKET_DAYS[reading.bucket] : null),
    phrase: reading.phrase,
    now,
    deadline: deadline(read),
    relaxed,
  };
}
