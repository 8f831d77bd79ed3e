import { randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { load, printComparison, startBareServer, startRealServer, type LoadResult } from './harness.js';
import { CHAT_SCRIPT, type ChatLoadOutput, type ChatLoadSpec } from './chat.load.js';

const CONNECTIONS = 50;
/** Conversations open at once: 50 connections rarely speak in the same one at the same time, as on a busy site. */
const SLOTS = 200;
const WARM_UP = { seconds: 2, connections: 10 };

/** Runs `bench/chat.load.ts` in its own node process and returns what it measured. */
async function sendTurns(spec: Omit<ChatLoadSpec, 'outFile'>, dir: string): Promise<ChatLoadOutput> {
  const outFile = path.join(dir, `${spec.run}.json`);
  const child = spawn(process.execPath, ['--import', 'tsx', path.resolve('bench/chat.load.ts')], {
    env: { ...process.env, BENCH_CHAT_LOAD: JSON.stringify({ ...spec, outFile }) },
    stdio: ['ignore', 'inherit', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`the load generator exited with ${code}:\n${stderr}`);
  return JSON.parse(fs.readFileSync(outFile, 'utf8')) as ChatLoadOutput;
}

const asLoadResult = (label: string, out: ChatLoadOutput): LoadResult => ({
  label,
  requestsPerSecond: out.requestsPerSecond,
  p50Ms: out.p50Ms,
  p99Ms: out.p99Ms,
  non2xx: out.non2xx,
  errors: out.errors,
  total: out.total,
});

/**
 * `npm run bench -- chat`: spec D's POST /api/v2/chat/message over HTTP on the local engine at
 * 50 connections — each request a new message id, in one of many conversations at every stage
 * of a scripted customer conversation, each a full turn (stored, understood, answered, published
 * live) — beside a bare Fastify constant route in the same run.
 */
export async function benchChat(seconds: number): Promise<void> {
  const real = await startRealServer();
  const bare = await startBareServer();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fd-bench-chat-'));
  try {
    const { credentials } = await real.deps.services.tenants.create(
      { kind: 'cli', id: null, tenantId: null, requestId: null, mode: 'live' },
      // Spec D's chat budget is per minute; a benchmark is the documented case for an admin override.
      {
        tenant_id: 'bench_chat',
        name: 'Bench Chat Co',
        plan: 'enterprise',
        configuration: { rate_limits: { multiplier: 100_000 } },
      },
    );
    const common = { url: `${real.url}/api/v2/chat/message`, apiKey: credentials.api_key, slots: SLOTS };
    const run = randomBytes(3).toString('hex');
    // Warm-up: fills caches and JIT before measuring, in conversations of its own.
    await sendTurns(
      { ...common, run: `w${run}`, connections: WARM_UP.connections, durationSeconds: WARM_UP.seconds },
      dir,
    );
    const out = await sendTurns({ ...common, run: `m${run}`, connections: CONNECTIONS, durationSeconds: seconds }, dir);
    const baseline = await load('bare Fastify constant route', {
      url: bare.url,
      connections: CONNECTIONS,
      durationSeconds: seconds,
    });
    printComparison(
      `chat: ${seconds}s at ${CONNECTIONS} connections, ${SLOTS} conversations open at a time`,
      asLoadResult('POST /api/v2/chat/message', out),
      baseline,
    );
    process.stdout.write(
      `  chat turns per second: ${out.requestsPerSecond.toFixed(1)}   (${out.total} turns in ${out.conversations} conversations of up to ${CHAT_SCRIPT.length} turns; ${out.unanswered} without a bot reply; ${out.timeouts} timeouts)\n`,
    );
    if (out.non2xx > 0 || out.errors > 0)
      throw new Error(`chat turns failed: ${out.non2xx} non-2xx, ${out.errors} errors\n${out.failures.join('\n')}`);
  } finally {
    await bare.stop();
    await real.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
