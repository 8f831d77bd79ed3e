import { LangEn } from '@nlpjs/lang-en-min';
import { Nlp } from '@nlpjs/nlp';
import { z } from 'zod';
import corpusJson from './corpus/en.json' with { type: 'json' };
import { UNKNOWN_INTENT, isKnownIntent } from './intents.js';

/** NLP.js names its out-of-scope class `None`; the corpus uses it for utterances that are no intent of ours. */
const NLPJS_NONE = 'None';

const corpusSchema = z.object({
  locale: z.string(),
  data: z.array(z.object({ intent: z.string(), utterances: z.array(z.string().min(1)).min(1) })).min(1),
});

export interface IntentScore {
  intent: string;
  score: number;
}

export interface IntentClassifier {
  /** Every trained intent scored for one utterance, best first; empty for blank text. */
  rank(utterance: string): Promise<IntentScore[]>;
}

// NLP.js logs through its container's `logger` (console) while training; the engine must stay silent.
const silentLogger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  log: () => undefined,
  trace: () => undefined,
  fatal: () => undefined,
};

async function trainClassifier(): Promise<IntentClassifier> {
  const corpus = corpusSchema.parse(corpusJson);
  // autoSave/autoLoad off: the model lives in memory only and nothing is read from or written to disk.
  const nlp = new Nlp({
    languages: ['en'],
    autoSave: false,
    autoLoad: false,
    calculateSentiment: false,
    nlu: { log: false },
  });
  nlp.container.use(LangEn);
  nlp.container.register('logger', silentLogger, true);
  for (const { intent, utterances } of corpus.data) {
    if (intent !== NLPJS_NONE && !isKnownIntent(intent)) {
      throw new Error(`Corpus intent "${intent}" is not in the intent catalogue`);
    }
    for (const utterance of utterances) nlp.addDocument('en', utterance, intent);
  }
  await nlp.train();
  return {
    async rank(utterance) {
      const text = utterance.trim();
      if (!text) return [];
      const result = await nlp.classify('en', text);
      return result.classifications.map(({ intent, score }) => ({
        intent: intent === NLPJS_NONE ? UNKNOWN_INTENT : intent,
        score,
      }));
    },
  };
}

let training: Promise<IntentClassifier> | undefined;

/** The process-wide classifier, trained from the shipped corpus on first use (a few hundred ms, once). */
export function getIntentClassifier(): Promise<IntentClassifier> {
  training ??= trainClassifier().catch((error: unknown) => {
    training = undefined;
    throw error;
  });
  return training;
}
