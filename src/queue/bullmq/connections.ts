import { Queue as BullQueue } from 'bullmq';
import { Redis } from 'ioredis';

/**
 * A BullMQ job carries our id, and the tenant so a worker can hold it back without touching the row;
 * the database row holds the payload and the truth.
 */
export interface BullData {
  id: string;
  /** Absent on jobs added before it was carried: those are not held to `tenantConcurrency`. */
  tenantId?: string | null;
}

/** The two Redis connections and the BullMQ queue of each job type (one per type, so concurrency is per type). */
export class BullmqConnections {
  private readonly queues = new Map<string, BullQueue<BullData>>();
  private producer: Redis | undefined;
  private consumer: Redis | undefined;

  constructor(
    private readonly redisUrl: string,
    readonly prefix: string,
    private readonly onError: (error: unknown) => void,
  ) {}

  // Created lazily: a process that only enqueues never opens the workers' connection.
  queueFor(type: string): BullQueue<BullData> {
    let queue = this.queues.get(type);
    if (!queue) {
      // Producers fail fast when Redis is down: the row is already durable and the reconciler re-adds it.
      this.producer ??= new Redis(this.redisUrl, { maxRetriesPerRequest: 2 });
      queue = new BullQueue<BullData>(type, { connection: this.producer, prefix: this.prefix });
      queue.on('error', this.onError);
      this.queues.set(type, queue);
    }
    return queue;
  }

  /** The connection every worker shares, opened with the first worker. */
  workerConnection(): Redis {
    this.consumer ??= new Redis(this.redisUrl, { maxRetriesPerRequest: null });
    return this.consumer;
  }

  /** Closes the queues, then both connections; a connection that will not quit cleanly is dropped. */
  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
    this.queues.clear();
    for (const client of [this.producer, this.consumer]) await client?.quit().catch(() => client.disconnect());
    this.producer = this.consumer = undefined;
  }
}
