import { getIntentClassifier, type IntentScore } from './classifier.js';
import { anchorFactor } from './anchors.js';
import { UNKNOWN_INTENT, intentInfo, isSubstantive, type Vertical } from './intents.js';
import { segmentText, withoutOpeners } from './segment.js';

export interface IntentPrediction {
  intent: string;
  /** How sure the engine is, in [0, 1]. */
  confidence: number;
  /** Every candidate with its combined score, best first. */
  ranking: IntentScore[];
}

/** Below this combined score no intent is trusted and the answer is `unknown`. */
export const UNKNOWN_THRESHOLD = 0.3;
/** In a longer text a substantive intent at least this strong outranks greetings and thanks around it. */
const SUBSTANTIVE_FLOOR = 0.2;
/** Share of its score a project or purchase intent keeps when it belongs to a line of business the tenant is not in. */
const OTHER_VERTICAL = 0.6;

export interface PredictOptions {
  /** Evidence found outside the classifier (a form's project type, catalogue keywords, spam cues), added to scores. */
  boosts?: Readonly<Record<string, number>>;
  /** The tenant's lines of business; intents of other verticals are discounted. Empty means no prior. */
  verticals?: ReadonlySet<Vertical>;
  /**
   * Answered instead of `unknown` when no intent clears the threshold and the out-of-scope class
   * did not win outright: the intent of a service the tenant sells that the text names.
   */
  fallback?: string;
}

function round3(n: number): number {
  return Math.round(n * 1000) / 1000;
}

/**
 * Classifies a whole message, lead or transcript. The text as a whole and each sentence that says
 * more than hello are classified, and an intent's score is its mean over those readings. Intents
 * that need anchor words and lack them, and intents outside the tenant's verticals, are
 * discounted before boosts apply.
 */
export async function predictIntent(text: string, options: PredictOptions = {}): Promise<IntentPrediction> {
  const { boosts = {}, verticals = new Set<Vertical>(), fallback } = options;
  const classifier = await getIntentClassifier();
  const { customerText, sentences } = segmentText(text);
  const whole = await classifier.rank(withoutOpeners(customerText));
  const scores = new Map<string, number>(whole.map((c) => [c.intent, c.score]));

  if (sentences.length > 1) {
    const ranked = await Promise.all(sentences.map((sentence) => classifier.rank(sentence)));
    // "Hi there!" or "Yes, thanks" says nothing about what the lead wants, so such sentences
    // would only dilute the request around them; they count only when nothing else is said.
    const content = ranked.filter(([top]) => top !== undefined && intentInfo(top.intent).kind !== 'chat');
    const counted = content.length > 0 ? content : ranked;
    // The whole text is one reading among its sentences: a long call read as one bag of words is
    // noisy, and one odd sentence cannot swing it either.
    const readings = [whole, ...counted];
    scores.clear();
    for (const reading of readings) {
      for (const c of reading) scores.set(c.intent, (scores.get(c.intent) ?? 0) + c.score / readings.length);
    }
  }
  for (const [intent, score] of scores) {
    const { vertical } = intentInfo(intent);
    const foreign = verticals.size > 0 && vertical !== 'general' && !verticals.has(vertical);
    scores.set(intent, score * anchorFactor(intent, customerText) * (foreign ? OTHER_VERTICAL : 1));
  }
  for (const [intent, boost] of Object.entries(boosts)) {
    scores.set(intent, (scores.get(intent) ?? 0) + boost);
  }

  const ranking = [...scores.entries()]
    .map(([intent, score]) => ({ intent, score: round3(Math.min(1, score)) }))
    .sort((a, b) => b.score - a.score || a.intent.localeCompare(b.intent));

  let top = ranking[0];
  if (top && !isSubstantive(top.intent) && sentences.length > 1) {
    const substantive = ranking.find((c) => isSubstantive(c.intent));
    if (substantive && substantive.score >= SUBSTANTIVE_FLOOR) top = substantive;
  }
  if (fallback && (!top || top.score < UNKNOWN_THRESHOLD)) {
    return { intent: fallback, confidence: ranking.find((c) => c.intent === fallback)?.score ?? 0, ranking };
  }
  if (!top || top.intent === UNKNOWN_INTENT || top.score < UNKNOWN_THRESHOLD) {
    // Confidence in `unknown` is the out-of-scope class's own score when it won, else nothing backs it.
    const confidence = top?.intent === UNKNOWN_INTENT ? top.score : 0;
    return { intent: UNKNOWN_INTENT, confidence, ranking };
  }
  return { intent: top.intent, confidence: top.score, ranking };
}

/** Intent of one text with no outside evidence: `{ intent, confidence }`, `unknown` below the threshold. */
export async function classifyIntent(text: string): Promise<{ intent: string; confidence: number }> {
  const { intent, confidence } = await predictIntent(text);
  return { intent, confidence };
}
