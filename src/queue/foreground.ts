import diagnostics_channel from 'node:diagnostics_channel';

/**
 * Tells in-process workers whether foreground work (HTTP requests) is competing for this event
 * loop, so they can step back: the request path goes first, the workers keep a minimum pace.
 */
export interface ForegroundSignal {
  busy(): boolean;
}

/** The window in which requests are counted (long enough to bridge a load generator's or a client's short pauses, which would otherwise let the workers burst into the request path). */
export const HTTP_QUIET_MS = 250;
/** Requests started within the window that make it load: 100 a second. A trickle of webhooks or dashboard reads leaves the workers at full speed. */
export const BUSY_MIN_REQUESTS = 25;

/** Start times of this process's latest HTTP requests, a ring of the most recent ones. */
const RING = 64;
const starts = new Float64Array(RING).fill(Number.NEGATIVE_INFINITY);
let next = 0;
let listening = false;

/**
 * Busy while at least `minRequests` HTTP requests of this process started within the last
 * `quietMs`. Node publishes every server request on this channel, so the queue needs no hook in
 * the web framework; a long-lived request (a stream) counts once, when it starts.
 */
export function httpForeground(opts: { quietMs?: number; minRequests?: number } = {}): ForegroundSignal {
  const quietMs = opts.quietMs ?? HTTP_QUIET_MS;
  const minRequests = Math.max(1, Math.min(opts.minRequests ?? BUSY_MIN_REQUESTS, RING));
  if (!listening) {
    listening = true;
    diagnostics_channel.subscribe('http.server.request.start', () => {
      starts[next] = performance.now();
      next = (next + 1) % RING;
    });
  }
  // The minRequests-th latest start is recent enough when that many fit in the window.
  return { busy: () => performance.now() - starts[(next - minRequests + RING) % RING]! < quietMs };
}
