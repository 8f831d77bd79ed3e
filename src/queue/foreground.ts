import diagnostics_channel from 'node:diagnostics_channel';

/**
 * Tells in-process workers whether foreground work (HTTP requests) is competing for this event
 * loop, so they can step back: the request path goes first, the workers keep a minimum pace.
 */
export interface ForegroundSignal {
  busy(): boolean;
}

/** A request started this recently counts as load (long enough to bridge a load generator's or a client's short pauses, which would otherwise let the workers burst into the request path); a lone long-lived request (a stream) stops counting after it. */
export const HTTP_QUIET_MS = 250;

let lastRequestStart = Number.NEGATIVE_INFINITY;
let listening = false;

/**
 * Busy while any HTTP server of this process has started a request within `quietMs`. Node publishes
 * every server request on this channel, so the queue needs no hook in the web framework.
 */
export function httpForeground(quietMs = HTTP_QUIET_MS): ForegroundSignal {
  if (!listening) {
    listening = true;
    diagnostics_channel.subscribe('http.server.request.start', () => {
      lastRequestStart = performance.now();
    });
  }
  return { busy: () => performance.now() - lastRequestStart < quietMs };
}
