import { plainApostrophes } from '../../lib/text.js';
import type { Sentiment } from '../analysis.schema.js';
import { INTENSIFIERS, LEXICON, NEGATIONS, PHRASES } from './lexicon.js';

export interface SentimentReading {
  sentiment: Sentiment;
  /** -1 (very negative) … +1 (very positive). */
  score: number;
}

/** How far back a negation reaches ("not very happy"). */
const NEGATION_WINDOW = 3;
/** Normalises a raw lexicon sum into (-1, 1); 15 is VADER's choice and keeps one strong word near ±0.7. */
const ALPHA = 15;
const THRESHOLD = 0.2;

export function analyzeSentiment(text: string): SentimentReading {
  let folded = plainApostrophes(text.toLowerCase());
  for (const [pattern, token] of PHRASES) folded = folded.replace(pattern, token);
  let sum = 0;
  // A negation reaches no further than its clause: in "for nothing, this is ridiculous" nothing negates "ridiculous".
  for (const clause of folded.split(/[.,;:!?]+/)) {
    const tokens = clause.match(/[a-z_']+/g) ?? [];
    tokens.forEach((token, i) => {
      let value = LEXICON[token];
      if (value === undefined) return;
      const window = tokens.slice(Math.max(0, i - NEGATION_WINDOW), i);
      if (window.some((w) => NEGATIONS.has(w))) value *= -0.5;
      if (i > 0 && INTENSIFIERS.has(tokens[i - 1] ?? '')) value *= 1.5;
      sum += value;
    });
  }
  const exclamations = Math.min(3, (text.match(/!/g) ?? []).length);
  sum += Math.sign(sum) * 0.3 * exclamations;

  const score = Math.round((sum / Math.sqrt(sum * sum + ALPHA)) * 1000) / 1000;
  const sentiment: Sentiment = score >= THRESHOLD ? 'positive' : score <= -THRESHOLD ? 'negative' : 'neutral';
  return { sentiment, score };
}
