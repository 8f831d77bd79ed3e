import type { Redis } from 'ioredis';
import type { LiveBus, LiveEvent, LiveEventType, LiveSubscription } from '../domain/live/index.js';
import { createLiveListeners } from './live-listeners.js';

export interface RedisLiveBusOptions {
  /** Channels are `<prefix><tenantId>`. */
  prefix?: string;
  /** CLIENT SETNAME of the subscriber connection, so operators (and tests) can tell it apart in CLIENT LIST. */
  connectionName?: string;
}

export interface RedisLiveBus extends LiveBus {
  /** Listeners currently subscribed in this process. */
  subscriberCount(): number;
}

// A Record, so a type added to the contract fails to compile here until the parser knows it.
const EVENT_TYPES: Record<LiveEventType, true> = {
  'message.created': true,
  typing: true,
  'conversation.transferred': true,
  'conversation.updated': true,
  'lead.created': true,
  'lead.updated': true,
};

/**
 * The fleet twin: every process publishes on the tenant's channel and holds one subscriber
 * connection (a duplicate of the main one, made on the first subscription) that is subscribed
 * to the channels of the tenants it has listeners for; conversation filtering happens here, in
 * process, so a busy tenant costs one channel however many conversations are watched.
 * ioredis reconnects and resubscribes by itself; events published while the subscriber is
 * disconnected are not replayed (pub/sub keeps no history), which live updates can afford.
 */
export function createRedisLiveBus(redis: Redis, options: RedisLiveBusOptions = {}): RedisLiveBus {
  const prefix = options.prefix ?? 'frontdesk:live:';
  const listeners = createLiveListeners();
  // Per tenant, the SUBSCRIBE in flight or done: later subscribers of the tenant wait on the same one.
  const channels = new Map<string, Promise<unknown>>();
  let subscriber: Redis | undefined;
  let closed = false;

  const connection = (): Redis => {
    if (subscriber) return subscriber;
    const sub = redis.duplicate({ connectionName: options.connectionName ?? 'frontdesk:live' });
    // Reconnects are ioredis's job; an unhandled 'error' event would end the process instead.
    sub.on('error', () => undefined);
    sub.on('message', (channel: string, message: string) => {
      if (!channel.startsWith(prefix)) return;
      const event = parseEvent(message);
      // The channel names the tenant: an event claiming another one is dropped rather than let across.
      if (event && event.tenantId === channel.slice(prefix.length)) listeners.dispatch(event);
    });
    subscriber = sub;
    return sub;
  };

  const release = async (entry: {
    tenantId: string;
    conversationId: string | undefined;
    listener: (event: LiveEvent) => void;
  }): Promise<void> => {
    if (!listeners.remove(entry)) return;
    channels.delete(entry.tenantId);
    // A failed UNSUBSCRIBE leaves a channel nobody listens to: its messages find no listener and are dropped.
    if (subscriber && !closed) await subscriber.unsubscribe(prefix + entry.tenantId).catch(() => undefined);
  };

  return {
    async publish(event) {
      await redis.publish(prefix + event.tenantId, JSON.stringify(event));
    },

    async subscribe(tenantId, conversationId, listener): Promise<LiveSubscription> {
      if (closed) throw new Error('The live bus is closed');
      const entry = { tenantId, conversationId, listener };
      listeners.add(entry);
      let pending = channels.get(tenantId);
      if (!pending) {
        pending = connection().subscribe(prefix + tenantId);
        channels.set(tenantId, pending);
      }
      try {
        await pending;
      } catch (err) {
        // The next subscriber of the tenant tries a fresh SUBSCRIBE.
        if (channels.get(tenantId) === pending) channels.delete(tenantId);
        await release(entry);
        throw err;
      }
      let open = true;
      return {
        close: async () => {
          if (!open) return;
          open = false;
          await release(entry);
        },
      };
    },

    async close() {
      closed = true;
      listeners.clear();
      channels.clear();
      const sub = subscriber;
      subscriber = undefined;
      if (sub) await sub.quit().catch(() => sub.disconnect());
    },

    subscriberCount: () => listeners.size(),
  };
}

/** An event as published by any process of this version; anything else on the channel is ignored. */
function parseEvent(message: string): LiveEvent | undefined {
  let value: unknown;
  try {
    value = JSON.parse(message);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  if (typeof v.type !== 'string' || !Object.hasOwn(EVENT_TYPES, v.type)) return undefined;
  if (typeof v.tenantId !== 'string' || typeof v.at !== 'string') return undefined;
  if (typeof v.conversationId !== 'string' && v.conversationId !== null) return undefined;
  if (typeof v.data !== 'object' || v.data === null || Array.isArray(v.data)) return undefined;
  return {
    type: v.type as LiveEventType,
    tenantId: v.tenantId,
    conversationId: v.conversationId,
    at: v.at,
    data: v.data as Record<string, unknown>,
  };
}
