import { findPhrases, type PhraseSet } from './phrases.js';
import type { ReadText } from './nlp.js';

/** A signal found in a lead, with the words that showed it so reasoning can quote them. */
export interface Hit {
  text: string;
}

/** The first affirmed occurrence of any phrase in the set, as a hit. */
export function affirmed(read: ReadText, set: PhraseSet): Hit | null {
  const match = findPhrases(read, set).find((m) => !m.negated);
  return match ? { text: match.text.toLowerCase() } : null;
}

/** The first occurrence inside a negation's scope ("not looking to buy"), as a hit. */
export function negated(read: ReadText, set: PhraseSet): Hit | null {
  const match = findPhrases(read, set).find((m) => m.negated);
  return match ? { text: match.text.toLowerCase() } : null;
}

/** The first occurrence, negated or not: for phrases that carry their own negation ("no budget"). */
export function anywhere(read: ReadText, set: PhraseSet): Hit | null {
  const [match] = findPhrases(read, set);
  return match ? { text: match.text.toLowerCase() } : null;
}
