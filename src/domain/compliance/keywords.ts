/**
 * What an inbound text means for consent: the carriers' keywords (CTIA: STOP, STOPALL,
 * UNSUBSCRIBE, CANCEL, END, QUIT, plus REVOKE and OPTOUT from the FCC's 2025 revocation rule), the
 * phrasings people actually send ("stop texting me", "please don't text me anymore"), the words
 * that opt back in, and HELP. Matching is on words, never on a backtracking pattern: the text is
 * capped, lower-cased and split into letter runs first.
 */

export type ConsentIntent = 'opt_out' | 'opt_in' | 'help';

export interface KeywordMatch {
  intent: ConsentIntent;
  /** `keyword` when the whole message was one; `phrase` when words inside it said so. */
  source: 'keyword' | 'phrase';
}

const OPT_OUT = new Set(['stop', 'stopall', 'unsubscribe', 'cancel', 'end', 'quit', 'revoke', 'optout']);
const OPT_IN = new Set(['start', 'unstop', 'yes']);
const HELP = new Set(['help', 'info']);

/** Two-word spellings of a keyword ("opt out", "stop all"). */
const SPACED: Record<string, string> = { 'opt out': 'optout', 'stop all': 'stopall', 'opt in': 'start' };

/** Word sequences that, anywhere in a message, ask us to stop. Apostrophes are dropped first ("don't" → "dont"). */
const OPT_OUT_PHRASES: readonly (readonly string[])[] = [
  ['stop', 'texting'],
  ['stop', 'messaging'],
  ['stop', 'sending'],
  ['stop', 'contacting'],
  ['stop', 'text', 'me'],
  ['dont', 'text', 'me'],
  ['do', 'not', 'text', 'me'],
  ['dont', 'message', 'me'],
  ['do', 'not', 'message', 'me'],
  ['dont', 'contact', 'me'],
  ['do', 'not', 'contact', 'me'],
  ['no', 'more', 'texts'],
  ['no', 'more', 'messages'],
  ['unsubscribe', 'me'],
  ['remove', 'me', 'from'],
  ['take', 'me', 'off'],
  ['leave', 'me', 'alone'],
];

/** Longer messages are conversation, not a keyword; the cap also bounds the work done on hostile input. */
const MAX_CHARS = 320;

export function wordsOf(text: string): string[] {
  return text
    .slice(0, MAX_CHARS)
    .toLowerCase()
    .replace(/['’‘`]/g, '')
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== '');
}

function contains(words: readonly string[], phrase: readonly string[]): boolean {
  for (let i = 0; i + phrase.length <= words.length; i++) if (phrase.every((w, j) => words[i + j] === w)) return true;
  return false;
}

/** The consent meaning of a message, or undefined when it is ordinary conversation. */
export function readConsentIntent(text: string): KeywordMatch | undefined {
  if (text.length > MAX_CHARS) return undefined;
  const words = wordsOf(text);
  const whole = words.length === 1 ? words[0]! : SPACED[words.join(' ')];
  if (whole !== undefined) {
    if (OPT_OUT.has(whole)) return { intent: 'opt_out', source: 'keyword' };
    if (OPT_IN.has(whole)) return { intent: 'opt_in', source: 'keyword' };
    if (HELP.has(whole)) return { intent: 'help', source: 'keyword' };
  }
  if (OPT_OUT_PHRASES.some((p) => contains(words, p))) return { intent: 'opt_out', source: 'phrase' };
  return undefined;
}
