import type { Enrichment } from '../../providers/enrichment/enrichment.js';
import type { ScoringBreakdown } from '../analysis.schema.js';
import type { Extraction } from '../entities/extract.js';
import type { IntentInfo } from '../nlu/intents.js';
import type { LeadSignals } from '../signals/read.js';

export type Component = keyof ScoringBreakdown;

/** One reason the score moved, in logit units; reasoning ranks these by weighted impact. */
export interface Signal {
  component: Component;
  impact: number;
  phrase: string;
}

/** Everything the engine read about a lead, for scoring, reasoning, actions and the summary. */
export interface LeadFeatures {
  intent: string;
  info: IntentInfo;
  confidence: number;
  extraction: Extraction;
  enrichment: Enrichment;
  signals: LeadSignals;
  /** The lead gave these themselves (form fields, caller id) or stated them. */
  contact: { phone: boolean; email: boolean; name: boolean };
  /** How the lead came in: a form or e-mail, a chat or SMS message, a call. */
  channel: 'lead' | 'message' | 'transcript';
  /** The words and word pairs the wording model reads (`wordingTokens`). */
  words: readonly string[];
}
