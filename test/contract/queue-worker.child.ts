/**
 * A worker process for the contract suite's "worker killed mid-job" test. It opens the storage
 * the harness describes in FD_QUEUE_* variables, runs `test.hang` jobs by appending
 * "started <attempt>" to FD_QUEUE_STARTED_FILE and then never finishing, and waits to be killed.
 */
import fs from 'node:fs';
import { createBullmqQueue } from '../../src/queue/bullmq.queue.js';
import { createEmbeddedQueue } from '../../src/queue/embedded.queue.js';
import { openDatabase } from '../../src/store/db.js';
// For the test job types declared there.
import type {} from '../helpers/queue.js';

const env = process.env;
const database = env.FD_QUEUE_SQLITE_FILE
  ? openDatabase({ kind: 'sqlite', file: env.FD_QUEUE_SQLITE_FILE })
  : openDatabase({ kind: 'postgres', url: env.FD_QUEUE_PG_URL!, schema: env.FD_QUEUE_PG_SCHEMA! });
const queue =
  env.FD_QUEUE_BACKEND === 'bullmq'
    ? createBullmqQueue(database, env.FD_QUEUE_REDIS_URL!, { prefix: env.FD_QUEUE_PREFIX!, workerId: 'child' })
    : createEmbeddedQueue(database, { pollMs: 50, workerId: 'child' });

queue.register(
  'test.hang',
  async (_payload, ctx) => {
    fs.appendFileSync(env.FD_QUEUE_STARTED_FILE!, `started ${ctx.attempt}\n`);
    await new Promise(() => undefined);
  },
  { leaseMs: Number(env.FD_QUEUE_LEASE_MS ?? 1_000) },
);
await queue.start();
