import { affirmed, negated, type Hit } from './hit.js';
import type { ReadText } from './nlp.js';
import { phraseSet } from './phrases.js';
import { refusedByWriter } from './writer.js';

/** Doubt and refusal, read with their scope: "maybe someday" pulls down, "not just browsing" does not. */
export interface HedgeSignals {
  /** Not ready, unsure, some day: the lead is a prospect, not a buyer yet. */
  hedge: Hit | null;
  /** Just looking, curious, for fun, researching: little need behind the message. */
  browsing: Hit | null;
  /** A buying word negated: "not looking to buy", "not interested", "don't need". */
  refusal: Hit | null;
  /** A hedge or browsing word negated: "not just browsing", "not a maybe". */
  certainty: Hit | null;
}

const HEDGE = phraseSet([
  ...['maybe', 'perhaps', 'possibly', 'someday', 'some day', 'eventually', 'at some point', 'unsure', 'undecided'],
  ...['not sure', 'thinking about', 'think about it', 'thinking of', 'considering', 'might', 'down the road'],
  ...['in the future', 'one day', 'later', 'not ready', 'no rush', 'not urgent', 'no hurry', 'have not decide'],
  ...['not decide', 'not yet', 'hold off', 'wait and see', 'sometime', 'if the price', 'if it make sense'],
  ...['early stage', 'early stages', 'preliminary', 'long term', 'next year', 'get back to you', 'call back later'],
  ...['gather', 'gathering', 'starting to', 'just start', 'just starting', 'probably', 'or so', 'not ready to'],
]);
const BROWSING = phraseSet([
  ...['browse', 'browsing', 'just looking', 'just curious', 'curious', 'for fun', 'explore', 'exploring'],
  ...['research', 'researching', 'wondering', 'idea', 'ideas', 'information only', 'general question'],
  ...['just checking', 'out of curiosity', 'no reason', 'for reference', 'learn more', 'read about', 'blog'],
]);
/** Words of buying that, negated, refuse: "not interested", "don't need it", "not looking to buy". */
const BUYING = phraseSet([
  // "Not ready" is missing (a hedge), not refused, so "ready" is not here.
  ...['buy', 'purchase', 'need', 'interested', 'looking', 'look', 'plan', 'planning', 'book', 'hire'],
  ...['sign', 'move forward', 'proceed', 'want', 'doing anything', 'do anything', 'anytime soon'],
  ...['request', 'pay', 'spend', 'invest', 'switch', 'change', 'replace'],
]);

export function readHedges(read: ReadText): HedgeSignals {
  return {
    hedge: affirmed(read, HEDGE),
    browsing: affirmed(read, BROWSING),
    refusal: refusedByWriter(read, BUYING),
    certainty: negated(read, BROWSING),
  };
}
