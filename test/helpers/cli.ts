import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import net from 'node:net';
import { fileURLToPath } from 'node:url';

/**
 * How long a child process may take to start or finish a command. Each start compiles the
 * TypeScript sources (tsx), which on a loaded two-core CI machine takes tens of seconds.
 */
export const CHILD_TIMEOUT_MS = 90_000;

/** The real `npm start` / `npx frontdesk` entry. */
export const BIN = fileURLToPath(new URL('../../bin/frontdesk.js', import.meta.url));

/** Only what a user's shell would pass: no test settings leak into the child. */
export function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: process.env.HOME, ...extra };
}

/** A TCP port nobody listens on right now (bind to 0, read it, release it). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface Running {
  child: ChildProcessWithoutNullStreams;
  stdout(): string;
  stderr(): string;
  /** Resolves once stdout matches, failing after `timeoutMs` with what was printed. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Resolves with the exit code (or the signal that ended it) and how long it took after the call. */
  exited(timeoutMs: number): Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }>;
}

export function start(args: string[], env: NodeJS.ProcessEnv): Running {
  const child = spawn(process.execPath, [BIN, ...args], { env, stdio: 'pipe' });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    waitFor(pattern, timeoutMs = CHILD_TIMEOUT_MS) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = out.match(pattern);
          if (match) {
            done();
            resolve(match);
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`timed out waiting for ${String(pattern)}\nstdout:\n${out}\nstderr:\n${err}`));
        }, timeoutMs);
        const onExit = () => {
          done();
          reject(new Error(`process exited before printing ${String(pattern)}\nstdout:\n${out}\nstderr:\n${err}`));
        };
        const done = () => {
          clearTimeout(timer);
          child.stdout.off('data', check);
          child.off('exit', onExit);
        };
        child.stdout.on('data', check);
        child.once('exit', onExit);
        check();
      });
    },
    async exited(timeoutMs) {
      const started = Date.now();
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`did not exit within ${timeoutMs} ms\nstderr:\n${err}`)), timeoutMs);
      });
      try {
        const result = await Promise.race([exit, timeout]);
        return { ...result, ms: Date.now() - started };
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

/** Runs a CLI command to completion. */
export async function run(
  args: string[],
  env: NodeJS.ProcessEnv,
  timeoutMs = CHILD_TIMEOUT_MS,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const p = start(args, env);
  const { code } = await p.exited(timeoutMs);
  return { code, stdout: p.stdout(), stderr: p.stderr() };
}
