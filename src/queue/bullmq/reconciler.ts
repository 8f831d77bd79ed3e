import type { Database } from '../../store/db.js';
import * as jobsRepo from '../jobs.repo.js';
import type { BullmqConnections } from './connections.js';
import { redispatch } from './dispatch.js';

const RECONCILE_BATCH = 500;

export interface ReconcilerEnv {
  database: Database;
  connections: BullmqConnections;
  /** How often a pass runs once started. */
  reconcileMs: number;
  /** How long past its run time a queued job may be missing from Redis before it is re-added. */
  graceMs: number;
  onError: (error: unknown) => void;
}

/** Re-adds the due rows whose BullMQ job Redis lost, on demand and, once started, on a timer. */
export class Reconciler {
  private timer: NodeJS.Timeout | undefined;
  private pass: Promise<number> | undefined;

  constructor(private readonly env: ReconcilerEnv) {}

  /** The timer runs exactly while the queue is started, so it doubles as that flag. */
  get started(): boolean {
    return this.timer !== undefined;
  }

  start(): void {
    this.timer = setInterval(() => {
      // Passes never overlap: a slow one makes the next tick a no-op.
      if (this.pass) return;
      this.pass = this.reconcile()
        .catch((error: unknown) => {
          this.env.onError(error);
          return 0;
        })
        .finally(() => {
          this.pass = undefined;
        });
    }, this.env.reconcileMs);
  }

  halt(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** The timer's pass still running, if any. */
  inFlight(): Promise<number> | undefined {
    return this.pass;
  }

  /** Re-adds to Redis every due job the database holds and Redis lost; returns how many were re-added. */
  async reconcile(): Promise<number> {
    const { database, connections, graceMs, onError } = this.env;
    const now = Date.now();
    const rows = await jobsRepo.listStranded(database.db, {
      queuedBefore: new Date(now - graceMs).toISOString(),
      leaseBefore: new Date(now).toISOString(),
      limit: RECONCILE_BATCH,
    });
    let readded = 0;
    for (const row of rows) {
      try {
        if (await redispatch(connections, row, false)) readded++;
      } catch (error) {
        onError(error);
      }
    }
    return readded;
  }
}
