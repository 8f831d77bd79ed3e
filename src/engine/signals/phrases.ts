import type { ReadText, Token } from './nlp.js';

/**
 * Word-sequence lexicons matched on tokens, not regular expressions over raw text: each word of a
 * phrase matches a token's lemma or its written form, so "approve" also finds "approved" and
 * "approves". `*` stands for any one word and `#` for a number.
 */
export interface PhraseSet {
  byFirst: Map<string, string[][]>;
  /** Phrases that start with a wildcard, tried at every token. */
  open: string[][];
}

export interface PhraseMatch {
  /** The words as the lead wrote them. */
  text: string;
  start: number;
  end: number;
  /** The first word sits inside a negation's scope. */
  negated: boolean;
}

export function phraseSet(phrases: readonly string[]): PhraseSet {
  const byFirst = new Map<string, string[][]>();
  const open: string[][] = [];
  for (const phrase of phrases) {
    const words = phrase.toLowerCase().split(' ');
    const first = words[0] ?? '';
    if (first === '*' || first === '#') {
      open.push(words);
      continue;
    }
    byFirst.set(first, [...(byFirst.get(first) ?? []), words]);
  }
  return { byFirst, open };
}

/** A figure, or a reference written with its number sign ("#77120"). */
function isNumber(token: Token): boolean {
  return token.pos === 'NUM' || /^#?\d/.test(token.norm);
}

function wordMatches(word: string, token: Token): boolean {
  if (word === '*') return true;
  if (word === '#') return isNumber(token);
  return token.lemma === word || token.norm === word;
}

function matchesAt(words: readonly string[], tokens: readonly Token[], at: number): boolean {
  if (at + words.length > tokens.length) return false;
  return words.every((word, k) => {
    const token = tokens[at + k];
    return token !== undefined && wordMatches(word, token);
  });
}

/** Length of the longest phrase in `lists` that matches at `at`, or 0. */
function longestAt(lists: readonly (readonly string[][] | undefined)[], tokens: readonly Token[], at: number): number {
  let best = 0;
  for (const list of lists) {
    if (!list) continue;
    for (const words of list) if (words.length > best && matchesAt(words, tokens, at)) best = words.length;
  }
  return best;
}

/** Every place a phrase of the set occurs, longest first at each position, without overlaps. */
export function findPhrases(read: ReadText, set: PhraseSet): PhraseMatch[] {
  const { tokens } = read;
  const found: PhraseMatch[] = [];
  let i = 0;
  while (i < tokens.length) {
    const token = tokens[i] as Token;
    const byLemma = set.byFirst.get(token.lemma);
    const byNorm = token.norm === token.lemma ? undefined : set.byFirst.get(token.norm);
    const best = longestAt([byLemma, byNorm, set.open.length > 0 ? set.open : undefined], tokens, i);
    if (best === 0) {
      i += 1;
      continue;
    }
    const span = tokens.slice(i, i + best);
    found.push({ text: span.map((t) => t.text).join(' '), start: i, end: i + best, negated: token.negated });
    i += best;
  }
  return found;
}

/** The first match outside any negation, or null. */
export function firstAffirmed(read: ReadText, set: PhraseSet): PhraseMatch | null {
  return findPhrases(read, set).find((m) => !m.negated) ?? null;
}

/** The first match inside a negation's scope, or null. */
export function firstNegated(read: ReadText, set: PhraseSet): PhraseMatch | null {
  return findPhrases(read, set).find((m) => m.negated) ?? null;
}
