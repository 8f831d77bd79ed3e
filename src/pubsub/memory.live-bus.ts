import type { LiveBus, LiveSubscription } from '../domain/live/index.js';
import { createLiveListeners } from './live-listeners.js';

export interface MemoryLiveBus extends LiveBus {
  /** Listeners currently subscribed (tests check that a closed stream let go of its subscription). */
  subscriberCount(): number;
}

/** The single-process twin: subscribers in this process only (the embedded default). */
export function createMemoryLiveBus(): MemoryLiveBus {
  const listeners = createLiveListeners();
  return {
    publish(event) {
      listeners.dispatch(event);
      return Promise.resolve();
    },
    subscribe(tenantId, conversationId, listener): Promise<LiveSubscription> {
      const entry = { tenantId, conversationId, listener };
      listeners.add(entry);
      return Promise.resolve({
        close: () => {
          listeners.remove(entry);
          return Promise.resolve();
        },
      });
    },
    close() {
      listeners.clear();
      return Promise.resolve();
    },
    subscriberCount: () => listeners.size(),
  };
}
