import type { AnalysisResult } from '../../engine/analysis.schema.js';
import type { ConversationState, DialogTurn } from '../../engine/dialog/dialog.js';
import { newId } from '../../lib/ids.js';
import type { MessageRecord, ReplyMetadata } from './conversation-record.js';
import type { Heard } from './turn-hear.js';
import type { Received, TurnPlan, TurnStep } from './turn-types.js';

/** What the bot says on this turn and what it made of the message. */
export interface Said {
  text: string;
  quickReplies: DialogTurn['quickReplies'];
  state: ConversationState;
  intent: DialogTurn['intent'];
  actions: string[];
  /** The reply's id when something else already named it (a handoff whose notice the reply is). */
  replyId?: string;
}

/** A message that failed its turn: stored with the reason, ready for a retry. */
export function failedPlan(received: Received, reason: string): TurnPlan {
  return {
    inbound: { ...received.inbound, status: 'failed', error: reason.slice(0, 1000) },
    reply: null,
    state: received.conversation.state,
    conversationPatch: null,
    steps: [],
    learn: null,
  };
}

/** While a human has the conversation only the message is stored. */
export function silentPlan(received: Received): TurnPlan {
  return {
    inbound: received.inbound,
    reply: null,
    state: received.conversation.state,
    conversationPatch: null,
    steps: [],
    learn: null,
  };
}

/** The bot's reply; the metadata keeps what a repeated request is answered from. */
function replyOf(
  received: Received,
  said: Said,
  analysis: AnalysisResult | undefined,
  at: string,
  processingTimeMs: number,
): NonNullable<TurnPlan['reply']> {
  const { conversation, inbound } = received;
  const meta: ReplyMetadata = {
    model_used: analysis?.usage.model ?? null,
    provider: analysis?.usage.provider ?? null,
    processing_time_ms: processingTimeMs,
    confidence_score: analysis ? Math.round(said.intent.confidence * 1000) / 1000 : null,
    state: said.state,
    actions: said.actions,
  };
  const message: Omit<MessageRecord, 'metadata'> = {
    id: said.replyId ?? newId('msg'),
    externalId: null,
    conversationId: conversation.id,
    channel: conversation.channel,
    direction: 'outbound',
    sender: 'bot',
    contentType: 'text',
    text: said.text,
    media: [],
    quickReplies: said.quickReplies,
    intent: said.intent.name,
    confidence: analysis ? said.intent.confidence : null,
    sentiment: null,
    // The web widget gets the reply in the HTTP answer; other channels hand it to their delivery, which moves it on.
    status: conversation.channel === 'web' ? 'sent' : 'processed',
    error: null,
    replyToId: inbound.id,
    createdAt: at,
  };
  return { message, meta };
}

/** The customer's message as the turn leaves it: processed, with what the engine made of it. */
function processedInbound(
  inbound: MessageRecord,
  heard: Heard,
  said: Said,
  analysis: AnalysisResult | undefined,
): MessageRecord {
  const { transcript, transcriptionError } = heard;
  const metadata = {
    ...inbound.metadata,
    ...(transcript
      ? { transcript: { provider: transcript.provider, model: transcript.model, confidence: transcript.confidence } }
      : {}),
    ...(transcriptionError ? { transcription_error: transcriptionError } : {}),
  };
  return {
    ...inbound,
    status: 'processed',
    error: null,
    intent: said.intent.name,
    confidence: analysis ? said.intent.confidence : null,
    sentiment: analysis?.sentiment ?? null,
    metadata,
    // What the customer said in a voice note is their message, for the history and the lead's score.
    ...(transcript?.text ? { text: transcript.text } : {}),
  };
}

/** The turn's rows from what was heard and what the bot says. */
export function planned(
  received: Received,
  heard: Heard,
  said: Said,
  made: {
    analysis?: AnalysisResult | undefined;
    steps: TurnStep[];
    learn: TurnPlan['learn'];
    at: string;
    processingTimeMs: number;
  },
): TurnPlan {
  const { analysis, at } = made;
  return {
    inbound: processedInbound(received.inbound, heard, said, analysis),
    reply: replyOf(received, said, analysis, at, made.processingTimeMs),
    state: said.state,
    conversationPatch: {
      state: said.state,
      currentIntent: said.intent.name ?? received.conversation.currentIntent,
      ...(analysis ? { sentiment: analysis.sentiment } : {}),
      updatedAt: at,
    },
    steps: made.steps,
    learn: made.learn,
  };
}
