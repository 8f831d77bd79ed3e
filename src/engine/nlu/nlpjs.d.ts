/**
 * Minimal typings for the parts of NLP.js the classifier uses. The packages ship no types.
 * We depend on `@nlpjs/nlp` and `@nlpjs/lang-en-min` rather than `@nlpjs/basic`, whose logger
 * package prints a pino deprecation warning on import.
 */
declare module '@nlpjs/nlp' {
  export interface NlpClassification {
    intent: string;
    score: number;
  }

  export interface NlpClassifyResult {
    intent: string;
    score: number;
    classifications: NlpClassification[];
  }

  export interface NlpContainer {
    use(plugin: unknown): unknown;
    register(name: string, value: unknown, isSingleton?: boolean): void;
  }

  export interface NlpSettings {
    languages?: string[];
    autoSave?: boolean;
    autoLoad?: boolean;
    calculateSentiment?: boolean;
    forceNER?: boolean;
    nlu?: Record<string, unknown>;
  }

  export class Nlp {
    constructor(settings?: NlpSettings);
    readonly container: NlpContainer;
    addDocument(locale: string, utterance: string, intent: string): void;
    train(): Promise<unknown>;
    classify(locale: string, utterance: string): Promise<NlpClassifyResult>;
  }
}

declare module '@nlpjs/lang-en-min' {
  export class LangEn {}
}
