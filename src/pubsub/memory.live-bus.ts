import type { LiveBus, LiveEvent, LiveSubscription } from '../domain/live/live-bus.js';

/** The single-process twin: subscribers in this process only (the embedded default). */
export function createMemoryLiveBus(): LiveBus {
  const listeners = new Set<{ tenantId: string; conversationId: string | undefined; listener: (event: LiveEvent) => void }>();
  return {
    publish(event) {
      for (const s of listeners) {
        if (s.tenantId === event.tenantId && (s.conversationId === undefined || s.conversationId === event.conversationId)) s.listener(event);
      }
      return Promise.resolve();
    },
    subscribe(tenantId, conversationId, listener): Promise<LiveSubscription> {
      const entry = { tenantId, conversationId, listener };
      listeners.add(entry);
      return Promise.resolve({
        close: () => {
          listeners.delete(entry);
          return Promise.resolve();
        },
      });
    },
    close() {
      listeners.clear();
      return Promise.resolve();
    },
  };
}
