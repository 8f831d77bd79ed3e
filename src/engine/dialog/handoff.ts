import type { AnalysisResult } from '../analysis.schema.js';
import { intentInfo } from '../nlu/intents.js';
import type { CollectField, ConversationState, HandoffBriefing } from './dialog.js';
import { FIELD_LABELS } from './slots.js';

/** Why a conversation goes to a person, and the briefing that person reads first. */

/** sentiment_score runs -1…+1 (VADER-style); one strong insult reads about -0.7, an annoyed complaint about -0.5. */
export const STRONG_NEGATIVE = -0.7;
/** An annoyed complaint is enough when it says the business has let the customer down: unanswered, kept waiting. */
export const ANNOYED = -0.5;
/** Consecutive turns the dialog did not understand before a person takes over. */
export const LOW_CONFIDENCE_LIMIT = 2;

const REASONS: Record<HandoffBriefing['reason'], string> = {
  requested: 'the customer asked for a person',
  low_confidence: 'the assistant could not understand the customer',
  negative_sentiment: 'the customer is upset',
  escalation_trigger: "the message matched the tenant's escalation trigger",
  emergency: 'the customer reported an emergency while the business is closed',
};

/** Whether the tenant's trigger phrase occurs in the message, ignoring case, punctuation and spacing. */
export function matchesTrigger(trigger: string | undefined, text: string): boolean {
  const fold = (s: string) =>
    s
      .toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, ' ')
      .trim();
  const phrases = (trigger ?? '')
    .split(/[,;|\n]/)
    .map(fold)
    .filter(Boolean);
  const said = ` ${fold(text)} `;
  return phrases.some((phrase) => said.includes(` ${phrase} `));
}

export function briefing(
  reason: HandoffBriefing['reason'],
  state: ConversationState,
  analysis: AnalysisResult,
  message: string,
): HandoffBriefing {
  // Everything the customer told us, so the person taking over asks for none of it again.
  const customer: Partial<Record<CollectField, string>> = { ...state.collected };
  const intent = state.current_intent;
  const firstRequest = typeof state.entities.request === 'string' ? state.entities.request : null;
  const topic = intent ? intentInfo(intent).label : 'general inquiry';
  const request = firstRequest ? `${topic}: "${firstRequest}"` : `${topic}: "${message}"`;
  const collected = Object.entries(state.collected).map(
    ([field, value]) => `${FIELD_LABELS[field as CollectField]} ${value}`,
  );
  const who = customer.name ?? 'The customer';
  const summary =
    `${who} (${topic}) was handed off because ${REASONS[reason]}. ` +
    (collected.length > 0 ? `Collected: ${collected.join('; ')}. ` : 'Nothing collected yet. ') +
    `Last message: "${message}". Sentiment: ${analysis.sentiment}.`;
  return { reason, customer, request, intent, sentiment: analysis.sentiment, summary };
}
