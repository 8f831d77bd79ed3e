/**
 * Live updates for agents: what happened in a tenant's conversations, fanned out to every
 * subscriber in every process (in-process when alone, Redis pub/sub when REDIS_URL is set;
 * chosen once in deps.ts).
 */

export type LiveEventType = 'message.created' | 'typing' | 'conversation.transferred' | 'conversation.updated';

export interface LiveEvent {
  type: LiveEventType;
  tenantId: string;
  conversationId: string;
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
