/**
 * Live updates for agents: what happened in a tenant's conversations and leads, fanned out to every
 * subscriber in every process (in-process when alone, Redis pub/sub when REDIS_URL is set;
 * chosen once in deps.ts).
 */

export type ConversationEventType = 'message.created' | 'typing' | 'conversation.transferred' | 'conversation.updated';
/** A lead stored for the first time, or scored again. */
export type LeadEventType = 'lead.created' | 'lead.updated';
export type LiveEventType = ConversationEventType | LeadEventType;

/** What a subscriber may be shown: conversation events, lead events, or both (the surface decides from permissions). */
export type LiveTopic = 'conversations' | 'leads';

export interface LiveEvent {
  type: LiveEventType;
  tenantId: string;
  /** The conversation of a conversation event; null for a lead event. */
  conversationId: string | null;
  /** ISO time the event happened. */
  at: string;
  data: Record<string, unknown>;
}

export interface LiveSubscription {
  /** Stops delivery to this listener; resolves once the underlying channel is released. */
  close(): Promise<void>;
}

export interface LiveBus {
  /** Delivers to every subscriber of the tenant (and of the conversation), in this and other processes. */
  publish(event: LiveEvent): Promise<void>;
  /** `conversationId` undefined: every conversation of the tenant. Resolves once the subscription is live. */
  subscribe(
    tenantId: string,
    conversationId: string | undefined,
    listener: (event: LiveEvent) => void,
  ): Promise<LiveSubscription>;
  close(): Promise<void>;
}

/** The topic an event belongs to, so a stream can leave out what its reader may not see. */
export function topicOf(event: Pick<LiveEvent, 'type'>): LiveTopic {
  return event.type === 'lead.created' || event.type === 'lead.updated' ? 'leads' : 'conversations';
}
