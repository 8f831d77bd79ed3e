import { descendSparse, type Rank, type TrainingOptions } from './ordinal.js';

/**
 * The wording model: an ordinal logistic regression over a lead's words and word pairs. The signal
 * features read what the rubric names in general form; wording learns what many writers' words say
 * about the same tiers (a "deposit", an "internship", "pricing for my thesis") where no signal fires.
 * The main model weighs its z as one more input, fitted on wording scores from models trained without
 * the lead's own writer, so wording is trusted only as far as it carries over to a writer it never read.
 */

/** Token weights; a lead's wording z is their sum over its distinct tokens, times 1/√n, plus the bias. */
export interface WordingModel {
  bias: number;
  tokens: Readonly<Record<string, number>>;
}

/** Words, amounts and currency signs; a linear pattern, since the text is whatever a stranger typed. */
const TOKEN = /[a-z]+(?:'[a-z]+)?|[$€£₹]|\d+/g;

/**
 * Words every lead has, which say how long it is rather than what it wants; they still count inside
 * pairs ("send the", "not ready").
 */
const FUNCTION_WORDS = new Set([
  ...['a', 'an', 'the', 'and', 'or', 'but', 'of', 'to', 'in', 'on', 'at', 'for', 'with', 'by', 'from', 'as'],
  ...['is', 'are', 'was', 'were', 'be', 'been', 'it', 'its', 'this', 'that', 'these', 'those', 'so', 'if'],
  ...['i', 'we', 'you', 'he', 'she', 'they', 'me', 'us', 'my', 'our', 'your', 'his', 'her', 'their', 'them'],
  ...['then', 'than', 'there', 'here', 'just', 'also', 'very'],
]);

/** A lead's distinct words and adjacent word pairs, with every number read as one token. */
export function wordingTokens(text: string): string[] {
  const words = (text.toLowerCase().match(TOKEN) ?? []).map((word) => (/^\d/.test(word) ? '<n>' : word));
  const tokens = new Set(words.filter((word) => !FUNCTION_WORDS.has(word)));
  for (let i = 1; i < words.length; i += 1) tokens.add(`${words[i - 1]} ${words[i]}`);
  return [...tokens];
}

export interface WordingReading {
  z: number;
  /** The tokens that moved z most in its own direction, strongest first. */
  strongest: string[];
}

export function readWording(model: WordingModel, tokens: readonly string[]): WordingReading {
  // Each lead's tokens count 1/√n, so a long e-mail's many small weights do not add up to certainty.
  const scale = 1 / Math.sqrt(Math.max(1, tokens.length));
  let z = model.bias;
  const moved: [string, number][] = [];
  for (const token of tokens) {
    const weight = model.tokens[token];
    if (weight === undefined) continue;
    z += weight * scale;
    moved.push([token, weight]);
  }
  const strongest = moved
    .filter(([, weight]) => Math.sign(weight) === Math.sign(z))
    .sort((a, b) => Math.abs(b[1]) - Math.abs(a[1]))
    .map(([token]) => token);
  return { z, strongest };
}

/** Tokens seen in fewer training leads than this are one writer's habit, not wording to learn. */
const MIN_LEADS = 2;

/**
 * Fits token weights by the ordinal model's descent, from zero, so the same leads always give the
 * same model. Each lead is a sparse row of its known tokens.
 */
export function trainWording(
  docs: readonly (readonly string[])[],
  ys: readonly Rank[],
  options: TrainingOptions,
): WordingModel {
  const seen = new Map<string, number>();
  for (const doc of docs) for (const token of doc) seen.set(token, (seen.get(token) ?? 0) + 1);
  const vocabulary = [...seen].filter(([, n]) => n >= MIN_LEADS).map(([token]) => token);
  const index = new Map(vocabulary.map((token, j) => [token, j]));
  const rows = docs.map((doc) => {
    const indices = doc.flatMap((token) => index.get(token) ?? []);
    return { indices, values: indices.map(() => 1 / Math.sqrt(Math.max(1, doc.length))) };
  });
  const { weights, cuts } = descendSparse(rows, ys, vocabulary.length, [-1, 1], options);
  // Centred on the middle of its own cuts: z above 0 leans HOT, below leans COLD.
  const tokens = Object.fromEntries(vocabulary.map((token, j) => [token, weights[j] ?? 0]));
  return { bias: -((cuts[0] ?? 0) + (cuts[1] ?? 0)) / 2, tokens };
}
