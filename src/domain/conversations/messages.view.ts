import type { ConversationState, QuickReply } from '../../engine/dialog/dialog.js';
import { fromJson } from '../../store/json.js';
import type { InboundMedia } from './inbound.js';
import type { MessageRow } from './messages.repo.js';

/** A stored message as the core hands it to surfaces. */
export interface MessageRecord {
  id: string;
  /** The client's `message_id` or the platform's id. */
  externalId: string | null;
  conversationId: string;
  channel: string;
  direction: 'inbound' | 'outbound';
  sender: string;
  contentType: string;
  text: string;
  media: InboundMedia[];
  quickReplies: QuickReply[];
  intent: string | null;
  confidence: number | null;
  sentiment: string | null;
  status: string;
  error: string | null;
  metadata: Record<string, unknown>;
  replyToId: string | null;
  createdAt: string;
}

/** What a bot reply keeps in `metadata`, so a repeated request is answered exactly as the first. */
export interface ReplyMetadata {
  model_used: string | null;
  provider: string | null;
  processing_time_ms: number;
  confidence_score: number | null;
  state: ConversationState;
  actions: string[];
  lead_id?: string;
  appointment_request_id?: string;
  transfer_id?: string;
}

export function toMessageRecord(r: MessageRow): MessageRecord {
  return {
    id: r.id,
    externalId: r.external_id,
    conversationId: r.conversation_id,
    channel: r.channel,
    direction: r.direction === 'outbound' ? 'outbound' : 'inbound',
    sender: r.sender,
    contentType: r.content_type,
    text: r.text,
    media: fromJson<InboundMedia[]>(r.media, []),
    quickReplies: fromJson<QuickReply[]>(r.quick_replies, []),
    intent: r.intent,
    confidence: r.confidence === null ? null : Number(r.confidence),
    sentiment: r.sentiment,
    status: r.status,
    error: r.error,
    metadata: fromJson<Record<string, unknown>>(r.metadata, {}),
    replyToId: r.reply_to_id,
    createdAt: r.created_at,
  };
}
