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
/** Who is introduced by "… am/is a": "I am a student", "this is the tenant at 22 Oak". */
const SELF_INTRO = new Set([...FIRST_PERSON, 'this']);
/** A determiner that makes the role someone else's: "our students", "the tenant", "your competitors". */
const OTHERS = new Set(['our', 'my', 'your', 'their', 'his', 'her', 'the', 'its', 'these', 'those', 'of', 'for']);
/** How far back from a role its claim may sit: "I'm a second-year business student". */
const CLAIM_REACH = 7;
/** Verbs that, after "don't want to" or "not looking to", refuse a purchase; others ("wait", "give a statement") do not. */
const BUYING_VERBS = new Set([
  ...['buy', 'purchase', 'book', 'hire', 'sign', 'pay', 'spend', 'invest', 'switch', 'proceed', 'move'],
  ...['change', 'replace', 'commit', 'schedule', 'do', 'start', 'use', 'order'],
]);

/** "I'm a …", "we are …", "as a …" before the role, with nothing but its own describing words between. */
function claimedAt(tokens: readonly Token[], start: number): boolean {
  if (tokens[start + 1]?.norm === 'here') return true;
  // "Student: Class 11" opening a form's line labels a field about someone; the colon ends the clause.
  const [before, role, after] = [tokens[start - 1], tokens[start], tokens[start + 1]];
  if (before?.pos === 'SPACE' && after && role && after.clause !== role.clause) return false;
  for (let k = start - 1; k >= Math.max(0, start - CLAIM_REACH); k -= 1) {
    const token = tokens[k] as Token;
    // "This is the tenant": "the" after a self-introduction is still the writer.
    if (token.lemma === 'the' && tokens[k - 1]?.lemma === 'be') continue;
    if (OTHERS.has(token.lemma)) return false;
    if (token.lemma === 'as' || FIRST_PERSON_BE.has(token.norm)) return true;
    if (token.lemma === 'be') return SELF_INTRO.has(tokens[k - 1]?.norm ?? '');
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

const DEFERRING = new Set(['until', 'till', 'til', 'before']);

function deferred(tokens: readonly Token[], from: number): boolean {
  const clause = tokens[from - 1]?.clause;
  for (let k = from; k < tokens.length && tokens[k]?.clause === clause; k += 1) {
    if (DEFERRING.has((tokens[k] as Token).lemma)) return true;
  }
  return false;
}

/** The first buying word the writer negates of themselves: "we're not looking to buy", not "don't want to wait". */
export function refusedByWriter(read: ReadText, buying: PhraseSet): Hit | null {
  const { tokens } = read;
  const match = findPhrases(read, buying).find((m) => {
    if (!m.negated || !writerNegated(tokens, m.start)) return false;
    // "Not switching until renewal" puts the purchase off rather than refusing it.
    if (deferred(tokens, m.end)) return false;
    const next = tokens[m.end]?.lemma === 'to' ? tokens[m.end + 1] : undefined;
    return next === undefined || BUYING_VERBS.has(next.lemma);
  });
  return match ? { text: match.text.toLowerCase() } : null;
}
