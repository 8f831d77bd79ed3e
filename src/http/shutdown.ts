import type { FastifyInstance } from 'fastify';

// How often connections that went idle after their last response are closed while draining.
const IDLE_SWEEP_MS = 50;

/**
 * Stops the HTTP server for a graceful shutdown: it stops accepting connections at once, lets
 * in-flight requests finish, and after `timeoutMs` cuts off whatever is still running so a hung
 * request cannot hold the process past its shutdown budget. Resolves with how it ended.
 */
export async function closeServer(app: FastifyInstance, timeoutMs: number): Promise<'drained' | 'forced'> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'forced'>((resolve) => {
    timer = setTimeout(() => resolve('forced'), timeoutMs);
  });
  // A keep-alive connection whose request finishes after close() began stays open until the client
  // hangs up; closing it once idle keeps a drained server from waiting out the whole timeout.
  const sweep = setInterval(() => app.server.closeIdleConnections(), IDLE_SWEEP_MS);
  const closing = app.close().then(() => 'drained' as const);
  try {
    const outcome = await Promise.race([closing, deadline]);
    if (outcome === 'forced') {
      app.server.closeAllConnections();
      await closing;
    }
    return outcome;
  } finally {
    clearTimeout(timer);
    clearInterval(sweep);
  }
}
