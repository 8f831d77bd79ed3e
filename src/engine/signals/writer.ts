import type { Hit } from './hit.js';
import type { ReadText, Token } from './nlp.js';
import { findPhrases, type PhraseSet } from './phrases.js';

/**
 * Whether the writer is the one a phrase is about. A role ("student", "tenant", "distributor") is
 * the writer's only when they claim it ("I'm a student", "we are tenants", "as a reporter"); a
 * buyer who writes "our students" or "my tenants" is speaking of other people. A refusal is the
 * writer's only when they, not a thing, are negated: "we're not looking" refuses, "it doesn't
 * look good" does not.
 */

/** Tokens that say "I" or "we", some with the verb folded in ("I'm", "we're"). */
const FIRST_PERSON = new Set(['i', 'we', "i'm", 'im', "we're", 'i’m', 'we’re']);
const FIRST_PERSON_BE = new Set(["i'm", 'im', "we're", 'i’m', 'we’re']);
/** A determiner that makes the role someone else's: "our students", "the tenant", "your competitors". */
const OTHERS = new Set(['our', 'my', 'your', 'their', 'his', 'her', 'the', 'its', 'these', 'those', 'of', 'for']);
/** How far back from a role its claim may sit: "I'm a second-year business student". */
const CLAIM_REACH = 7;
/** Words that, after "don't want to", name what the writer avoids rather than refuses to buy. */
const AVOIDED = new Set(['wait', 'delay', 'risk', 'lose', 'miss', 'waste', 'deal', 'repeat', 'go']);

/** "I'm a …", "we are …", "as a …" before the role, with nothing but its own describing words between. */
function claimedAt(tokens: readonly Token[], start: number): boolean {
  if (tokens[start + 1]?.norm === 'here') return true;
  for (let k = start - 1; k >= Math.max(0, start - CLAIM_REACH); k -= 1) {
    const token = tokens[k] as Token;
    if (OTHERS.has(token.lemma)) return false;
    if (token.lemma === 'as' || FIRST_PERSON_BE.has(token.norm)) return true;
    if (token.lemma === 'be') return FIRST_PERSON.has(tokens[k - 1]?.norm ?? '');
    if (token.pos === 'VERB' || token.pos === 'AUX') return false;
  }
  // A role that opens the text is a signature-like introduction: "CS student, quick question".
  return start < CLAIM_REACH && tokens.slice(0, start).every((t) => !OTHERS.has(t.lemma) && t.pos !== 'VERB');
}

/** The first role in the set the writer claims as their own. */
export function claimedRole(read: ReadText, roles: PhraseSet): Hit | null {
  const match = findPhrases(read, roles).find((m) => !m.negated && claimedAt(read.tokens, m.start));
  return match ? { text: match.text.toLowerCase() } : null;
}

const NEGATORS = new Set(['not', 'no', 'never', 'nt']);

/** The negator a match sits under, or -1. */
function negatorBefore(tokens: readonly Token[], start: number): number {
  const clause = tokens[start]?.clause;
  for (let k = start - 1; k >= 0 && tokens[k]?.clause === clause; k -= 1) {
    if (NEGATORS.has((tokens[k] as Token).lemma)) return k;
  }
  return -1;
}

/** Nothing but the writer (or nobody: "Not interested") stands before the negator in its clause. */
function writerNegated(tokens: readonly Token[], start: number): boolean {
  const negator = negatorBefore(tokens, start);
  if (negator < 0) return false;
  const clause = tokens[negator]?.clause;
  let k = negator - 1;
  while (k >= 0 && tokens[k]?.clause === clause) {
    const token = tokens[k] as Token;
    if (FIRST_PERSON.has(token.norm)) return true;
    if (token.pos === 'NOUN' || token.pos === 'PROPN' || token.pos === 'PRON') return false;
    k -= 1;
  }
  return true;
}

/** The first buying word the writer negates of themselves: "we're not looking to buy", not "don't want to wait". */
export function refusedByWriter(read: ReadText, buying: PhraseSet): Hit | null {
  const { tokens } = read;
  const match = findPhrases(read, buying).find((m) => {
    if (!m.negated || !writerNegated(tokens, m.start)) return false;
    const next = tokens[m.end]?.lemma === 'to' ? tokens[m.end + 1] : undefined;
    return !AVOIDED.has(next?.lemma ?? '');
  });
  return match ? { text: match.text.toLowerCase() } : null;
}
