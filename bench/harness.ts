import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import Fastify, { type FastifyInstance } from 'fastify';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createDeps, type Deps } from '../src/deps.js';

const run = promisify(execFile);

export interface LoadResult {
  label: string;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
  total: number;
}

export interface LoadOptions {
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  connections?: number;
  durationSeconds?: number;
}

/**
 * Runs autocannon in a separate process so the load generator does not share the server's
 * event loop; returns its figures.
 */
export async function load(label: string, opts: LoadOptions): Promise<LoadResult> {
  const args = ['-c', String(opts.connections ?? 50), '-d', String(opts.durationSeconds ?? 10), '-j', '-m', opts.method ?? 'GET'];
  for (const [k, v] of Object.entries(opts.headers ?? {})) args.push('-H', `${k}=${v}`);
  if (opts.body !== undefined) args.push('-b', opts.body);
  args.push(opts.url);
  const bin = path.resolve('node_modules/.bin/autocannon');
  const { stdout } = await run(bin, args, { maxBuffer: 64 * 1024 * 1024 });
  const r = JSON.parse(stdout) as {
    requests: { average: number; total: number };
    latency: { p50: number; p99: number };
    non2xx: number;
    errors: number;
  };
  return { label, requestsPerSecond: r.requests.average, p50Ms: r.latency.p50, p99Ms: r.latency.p99, non2xx: r.non2xx, errors: r.errors, total: r.requests.total };
}

/** The real server on its embedded defaults (SQLite in a fresh data dir, local engine), listening on a free port. */
export async function startRealServer(env: Record<string, string> = {}): Promise<{ url: string; deps: Deps; app: FastifyInstance; stop(): Promise<void> }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fd-bench-'));
  const config = loadConfig({ FRONTDESK_DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'warn', FRONTDESK_DEMO: '0', ...env });
  const deps = await createDeps(config);
  const app = await buildApp(deps);
  await deps.queue.start();
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    deps,
    app,
    async stop() {
      await app.close();
      await deps.queue.stop(5000);
      await deps.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The baseline: a bare Fastify route in this same process that answers a constant JSON. */
export async function startBareServer(): Promise<{ url: string; stop(): Promise<void> }> {
  const app = Fastify({ logger: false });
  app.get('/constant', () => ({ status: 'ok', value: 42 }));
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { url: `http://127.0.0.1:${port}/constant`, stop: () => app.close() };
}

export function printComparison(title: string, subject: LoadResult, baseline: LoadResult): void {
  const row = (r: LoadResult) =>
    `  ${r.label.padEnd(34)} ${r.requestsPerSecond.toFixed(0).padStart(8)} req/s   p50 ${String(r.p50Ms).padStart(4)} ms   p99 ${String(r.p99Ms).padStart(4)} ms   non-2xx ${r.non2xx}   errors ${r.errors}`;
  process.stdout.write(
    [`\n${title}`, row(subject), row(baseline), `  ratio (subject / baseline req/s): ${(subject.requestsPerSecond / baseline.requestsPerSecond).toFixed(3)}`, ''].join('\n'),
  );
}
