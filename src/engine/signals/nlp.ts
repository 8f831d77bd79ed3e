import winkNLP, { type ItsFunction, type WinkMethods } from 'wink-nlp';
import model from 'wink-eng-lite-web-model';

/** One word of a lead as the signals read it. */
export interface Token {
  /** As written. */
  text: string;
  /** Lower case. */
  norm: string;
  /** Dictionary form ("licenses" → "license", "n't" → "not"). */
  lemma: string;
  pos: string;
  /** Inside the scope of a negation ("not looking to buy": looking, to and buy). */
  negated: boolean;
  /** Index of the clause the word sits in; punctuation and "but" start a new one. */
  clause: number;
}

/** A lead read once into tokens, shared by every signal family. */
export interface ReadText {
  tokens: Token[];
  /** Distinct words that carry meaning (nouns, verbs, adjectives, numbers), for "is there anything here at all". */
  contentWords: number;
}

let nlp: WinkMethods | null = null;

/** The NLP pipeline, built on first use (about 0.1 s) and shared. */
function pipeline(): WinkMethods {
  // Only what the signals read: sentences, negation and parts of speech (lemmas come with the tokens).
  nlp ??= winkNLP(model, ['sbd', 'negation', 'pos']);
  return nlp;
}

const NEGATORS = new Set(['not', 'no', 'never', 'without', 'nothing', 'none', 'nobody', 'neither', 'nor', 'nt']);
/** How far a negation reaches when the model does not mark it: "not really looking to buy". */
const NEGATION_REACH = 4;
const UNSURE = new Set(['sure', 'certain', 'decided', 'decide']);
const CLAUSE_BREAKERS = new Set(['but', 'however', 'although', 'though', 'except']);
const CONTENT_POS = new Set(['NOUN', 'PROPN', 'VERB', 'ADJ', 'NUM', 'ADV']);

/** Negation by nearness within a clause, added to the model's own flags, which miss a sentence-initial "Not". */
function markNegation(tokens: Token[]): void {
  let lastNegator = -Infinity;
  let unsure = false;
  let clause = -1;
  tokens.forEach((token, i) => {
    if (token.clause !== clause) {
      clause = token.clause;
      lastNegator = -Infinity;
      unsure = false;
    }
    if (NEGATORS.has(token.lemma) || NEGATORS.has(token.norm)) {
      // "Not sure if we need it" doubts rather than refuses; the hedge reader hears "not sure" itself.
      unsure = UNSURE.has(tokens[i + 1]?.lemma ?? '');
      lastNegator = unsure ? -Infinity : i;
      return;
    }
    if (unsure) token.negated = false;
    else if (i - lastNegator <= NEGATION_REACH) token.negated = true;
  });
}

/**
 * A word the tokenizer took for an abbreviation at a sentence's end ("getting in." read as inches)
 * keeps its full stop in what was written, but is matched as the word.
 */
function dictionaryForm(lemma: string): string {
  return /^[a-z][a-z'-]*\.$/.test(lemma) ? lemma.slice(0, -1) : lemma;
}

/** Whether the token at `i` is the hyphen of an "X-free" compound written without spaces. */
function joinsFree(texts: readonly string[], spaces: readonly string[], i: number): boolean {
  return (
    texts[i] === '-' && spaces[i] === '' && texts[i + 1]?.toLowerCase() === 'free' && spaces[i + 1] === '' && i > 0
  );
}

/** Tokens, lemmas, parts of speech, clauses and negation scope of a text. */
export function readText(text: string): ReadText {
  const nlp = pipeline();
  const doc = nlp.readDoc(text);
  const words = doc.tokens();
  const texts = words.out();
  // wink's `its` helpers are plain functions typed as methods, and `its.lemma` carries the model-addon
  // signature in the typings; both are its-functions at run time.
  /* eslint-disable @typescript-eslint/unbound-method -- see above */
  const { lemma, pos: partOfSpeech, type, negationFlag, precedingSpaces } = nlp.its;
  /* eslint-enable @typescript-eslint/unbound-method */
  const lemmas = words.out(lemma as unknown as ItsFunction<string>);
  const pos = words.out(partOfSpeech);
  const types = words.out(type);
  const flags = words.out(negationFlag as ItsFunction<unknown>);
  const spaces = words.out(precedingSpaces);
  const tokens: Token[] = [];
  let clause = 0;
  const content = new Set<string>();
  texts.forEach((word, i) => {
    const norm = word.toLowerCase();
    // "gluten-free", "sugar-free": one word for what something lacks, never "free" as in no charge.
    if (joinsFree(texts, spaces, i)) return;
    if (joinsFree(texts, spaces, i - 1)) {
      const previous = tokens.at(-1);
      if (previous)
        Object.assign(previous, {
          text: `${previous.text}-free`,
          norm: `${previous.norm}-free`,
          lemma: `${previous.lemma}-free`,
        });
      return;
    }
    const type = types[i] ?? 'word';
    if (type === 'punctuation' || CLAUSE_BREAKERS.has(norm)) clause += 1;
    if (type === 'punctuation') return;
    const tag = pos[i] ?? 'X';
    if (CONTENT_POS.has(tag) && type === 'word' && norm.length > 1) content.add((lemmas[i] ?? norm).toLowerCase());
    tokens.push({
      text: word,
      norm,
      lemma: dictionaryForm((lemmas[i] ?? norm).toLowerCase()),
      pos: tag,
      negated: Boolean(flags[i]),
      clause,
    });
  });
  markNegation(tokens);
  return { tokens, contentWords: content.size };
}
