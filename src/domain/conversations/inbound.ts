import type { QuickReply } from '../../engine/dialog/dialog.js';

/**
 * What every inbound channel (web chat, WhatsApp, Messenger, Slack, Teams, Telegram, generic)
 * hands the conversation core once it has verified and normalised a platform's message, and
 * what the core answers. The channel adapter then sends `reply` back through the platform.
 */

export const CHANNELS = [
  'web',
  'whatsapp',
  'messenger',
  'slack',
  'teams',
  'telegram',
  'generic',
  'sms',
  'voice',
] as const;
export type Channel = (typeof CHANNELS)[number];

export interface InboundMedia {
  kind: 'image' | 'audio' | 'video' | 'file' | 'location';
  url?: string;
  mimeType?: string;
  sizeBytes?: number;
  caption?: string;
}

export interface InboundMessage {
  channel: Channel;
  /** The platform's id for this message (WhatsApp `wamid…`, Telegram update id, …): the idempotency key. */
  externalMessageId: string;
  /** The platform's id for the sender (phone for WhatsApp, PSID for Messenger, Slack user id, …). */
  platformUserId: string;
  /** Where a reply goes on the platform when not the sender itself (Slack channel, Telegram chat id). */
  replyTo?: string;
  text: string;
  /** Tapped quick-reply / button payload, when the platform reports one. */
  payload?: string;
  media?: InboundMedia[];
  senderName?: string;
  phone?: string;
  email?: string;
  receivedAt: Date;
  /** Platform specifics the outbound side needs (Slack `response_url`, Teams service URL, …). */
  context?: Record<string, unknown>;
}

export interface InboundResult {
  /** True when this platform message id was seen before: nothing was processed again. */
  duplicate: boolean;
  conversationId: string;
  messageId: string;
  contactId: string;
  /** The agent's answer; absent when a human has the conversation or nothing should be said. */
  reply?: { text: string; quickReplies: QuickReply[] };
}

export interface ConversationInbox {
  receive(tenantId: string, message: InboundMessage): Promise<InboundResult>;
}

/** A message the conversation core wants sent out on a platform (a bot reply or an agent's message). */
export interface OutboundMessage {
  channel: Channel;
  conversationId: string;
  /** Our stored message id (outbound direction) this delivery is for. */
  messageId: string;
  /** The platform user to send to. */
  to: string;
  /** Where on the platform, when not the user itself (Slack channel, Telegram chat id). */
  replyTo?: string;
  text: string;
  quickReplies: QuickReply[];
  /** Platform specifics from the inbound side (Slack `response_url`, Teams service URL, …). */
  context?: Record<string, unknown>;
}

export interface ChannelDelivery {
  /**
   * Sends durably through the tenant's platform credentials (a job, retried), or into the outbox
   * when the tenant has none; a message the platform's rules forbid now (WhatsApp's 24-hour window
   * with no approved template) is held and reported on the message, never dropped silently.
   */
  deliver(tenantId: string, message: OutboundMessage): Promise<void>;
}
