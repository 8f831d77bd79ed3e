import type { CallsStore } from './calls.repo.js';
import type { NewCallRequest } from './records.js';

export interface IntakeWriter {
  /**
   * Stores the request; true once committed, false when its dedupe key was taken (nothing is
   * written then). The relay queues its first step.
   */
  write(tenantId: string, request: NewCallRequest): Promise<boolean>;
}

/** Requests written together at most; keeps a batch's bound parameters well under both dialects' limits. */
const MAX_BATCH = 100;

interface Waiting {
  tenantId: string;
  request: NewCallRequest;
  resolve(stored: boolean): void;
  reject(error: unknown): void;
}

/**
 * Group commit: requests that arrive while the event loop is busy are written in one transaction
 * (one insert per table and tenant), and every caller is answered after that commit. A commit costs
 * more than the rows it writes, so under load this is most of the acknowledgement's database time.
 */
export function createIntakeWriter(deps: { store: Pick<CallsStore, 'transaction'>; onStored(): void }): IntakeWriter {
  let waiting: Waiting[] = [];
  let flushing = false;

  /** Writes one batch; answers the ids of the requests stored. */
  const writeBatch = async (batch: Waiting[]): Promise<Set<string>> => {
    const byTenant = new Map<string, NewCallRequest[]>();
    for (const w of batch) {
      const list = byTenant.get(w.tenantId) ?? [];
      list.push(w.request);
      byTenant.set(w.tenantId, list);
    }
    const stored = new Set<string>();
    await deps.store.transaction(async (tx) => {
      for (const [tenantId, requests] of byTenant) {
        for (const id of await tx.requests.insertMany(tenantId, requests)) stored.add(id);
      }
    });
    return stored;
  };

  const settle = async (batch: Waiting[]): Promise<void> => {
    let stored: Set<string>;
    try {
      stored = await writeBatch(batch);
    } catch (error) {
      if (batch.length === 1) {
        batch[0]!.reject(error);
        return;
      }
      // The batch rolled back; one bad request must not fail the others, so each is tried again on its own.
      await Promise.all(batch.map((w) => settle([w])));
      return;
    }
    for (const w of batch) w.resolve(stored.has(w.request.id));
    if (stored.size > 0) deps.onStored();
  };

  const flush = async () => {
    flushing = true;
    try {
      while (waiting.length > 0) {
        const batch = waiting.slice(0, MAX_BATCH);
        waiting = waiting.slice(batch.length);
        await settle(batch);
      }
    } finally {
      flushing = false;
    }
  };

  return {
    write(tenantId, request) {
      return new Promise<boolean>((resolve, reject) => {
        waiting.push({ tenantId, request, resolve, reject });
        // The first waiting request schedules the flush after this turn's I/O, so requests parsed in the
        // same turn join it; while a flush runs, newcomers join its next batch.
        if (waiting.length === 1 && !flushing) setImmediate(() => void flush());
      });
    },
  };
}
