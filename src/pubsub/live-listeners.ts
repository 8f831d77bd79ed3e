import type { LiveEvent } from '../domain/live/index.js';

export interface LiveListener {
  tenantId: string;
  /** Undefined: every conversation of the tenant. */
  conversationId: string | undefined;
  listener: (event: LiveEvent) => void;
}

/** This process's listeners, grouped by tenant; both twins hand events to them through `dispatch`. */
export interface LiveListeners {
  add(entry: LiveListener): void;
  /** Removes the entry; true when it was the tenant's last, so a twin may release the tenant's channel. */
  remove(entry: LiveListener): boolean;
  /** Calls every listener of the event's tenant whose conversation filter matches, each with its own copy. */
  dispatch(event: LiveEvent): void;
  has(tenantId: string): boolean;
  size(): number;
  clear(): void;
}

export function createLiveListeners(): LiveListeners {
  const byTenant = new Map<string, Set<LiveListener>>();
  return {
    add(entry) {
      let set = byTenant.get(entry.tenantId);
      if (!set) byTenant.set(entry.tenantId, (set = new Set()));
      set.add(entry);
    },
    remove(entry) {
      const set = byTenant.get(entry.tenantId);
      if (!set?.delete(entry)) return false;
      if (set.size > 0) return false;
      byTenant.delete(entry.tenantId);
      return true;
    },
    dispatch(event) {
      const set = byTenant.get(event.tenantId);
      if (!set) return;
      // A snapshot, so a listener that unsubscribes (or subscribes) while being called does not disturb this delivery.
      for (const s of [...set]) {
        if (s.conversationId !== undefined && s.conversationId !== event.conversationId) continue;
        try {
          // Each subscriber gets its own copy, as it would from Redis, so none can change what another sees.
          s.listener(structuredClone(event));
        } catch {
          // One listener's failure must keep the event neither from the others nor fail the publisher.
        }
      }
    },
    has: (tenantId) => byTenant.has(tenantId),
    size() {
      let n = 0;
      for (const set of byTenant.values()) n += set.size;
      return n;
    },
    clear: () => byTenant.clear(),
  };
}
