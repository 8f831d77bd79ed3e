import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { createBullmqQueue } from '../../src/queue/bullmq.queue.js';
import { createEmbeddedQueue } from '../../src/queue/embedded.queue.js';
import type { Queue } from '../../src/queue/queue.js';
import type { Database, Dialect } from '../../src/store/db.js';
import { openTestDatabase, TEST_REDIS_URL } from './db.js';

/** Job types the queue suites use; the child worker process needs them too, so they live here. */
declare module '../../src/queue/jobs.js' {
  interface JobPayloads {
    'test.echo': { text: string };
    'test.order': { label: string };
    'test.flaky': { failTimes: number };
    'test.fail': Record<string, never>;
    'test.slow': { ms: number };
    'test.hang': Record<string, never>;
  }
}

export type QueueBackend = 'embedded' | 'bullmq';

export interface QueueHarness {
  queue: Queue;
  database: Database;
  /** Another queue on the same storage, as a second worker process would see it; cleaned up with the harness. */
  peer(): Queue;
  /** Starts test/contract/queue-worker.child.ts on the same storage; killed on cleanup. */
  spawnWorker(env: Record<string, string>): ChildProcess;
  cleanup(): Promise<void>;
}

const CHILD = fileURLToPath(new URL('../contract/queue-worker.child.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Short timings so the contract suite runs in seconds. */
export const TEST_POLL_MS = 50;

/**
 * A fresh queue on private storage: SQLite in a temp file (a child process must share it) or a
 * private PostgreSQL schema, and for BullMQ a random Redis key prefix.
 */
export async function openQueueHarness(backend: QueueBackend, dialect: Dialect): Promise<QueueHarness> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fd-queue-'));
  const file = path.join(dir, 'frontdesk.sqlite');
  const test = await openTestDatabase(dialect, dialect === 'sqlite' ? file : undefined);
  const prefix = `fd-test-${randomBytes(6).toString('hex')}`;
  const redisUrl = TEST_REDIS_URL;
  if (backend === 'bullmq' && !redisUrl) throw new Error('TEST_REDIS_URL is not set');

  const queues: Queue[] = [];
  const children: ChildProcess[] = [];
  let n = 0;
  const make = (): Queue => {
    const workerId = `test-${++n}`;
    const queue =
      backend === 'bullmq'
        ? createBullmqQueue(test.database, redisUrl!, { prefix, workerId })
        : createEmbeddedQueue(test.database, { pollMs: TEST_POLL_MS, workerId });
    queues.push(queue);
    return queue;
  };

  const childEnv: Record<string, string> = {
    FD_QUEUE_BACKEND: backend,
    ...(dialect === 'sqlite'
      ? { FD_QUEUE_SQLITE_FILE: file }
      : { FD_QUEUE_PG_URL: process.env.TEST_DATABASE_URL!, FD_QUEUE_PG_SCHEMA: test.schema! }),
    ...(backend === 'bullmq' ? { FD_QUEUE_REDIS_URL: redisUrl!, FD_QUEUE_PREFIX: prefix } : {}),
  };

  return {
    queue: make(),
    database: test.database,
    peer: make,
    spawnWorker(env) {
      const child = spawn(process.execPath, ['--import', 'tsx', CHILD], {
        cwd: ROOT,
        env: { ...process.env, ...childEnv, ...env },
        stdio: ['ignore', 'inherit', 'inherit'],
      });
      children.push(child);
      return child;
    },
    async cleanup() {
      for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      for (const queue of queues) await queue.stop(200);
      for (const queue of queues) await queue.close();
      if (backend === 'bullmq') await deleteRedisKeys(redisUrl!, prefix);
      await test.drop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Removes every Redis key under a BullMQ prefix. */
export async function deleteRedisKeys(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    await redis.quit();
  }
}

/** Polls until the probe returns a value (not undefined/false), or throws after timeoutMs. */
export async function waitFor<T>(
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 10_000,
  everyMs = 20,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() >= deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(everyMs);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
