import { PassThrough } from 'node:stream';
import type { FastifyReply } from 'fastify';
import { AppError } from '../domain/errors.js';
import type { LiveEvent, LiveSubscription } from '../domain/live/index.js';
import { KeyedSlots } from '../lib/keyed-slots.js';

/** A comment line this often keeps proxies and load balancers from closing a quiet stream. */
export const HEARTBEAT_MS = 15_000;
/** What EventSource waits before reconnecting after the stream ends (shutdown, a slow reader cut off). */
const RETRY_MS = 3_000;
/** Unsent bytes a reader may fall behind by before its stream is ended; it reconnects and refetches. */
const MAX_BUFFERED_BYTES = 1024 * 1024;

/** Seconds a client refused for too many streams is told to wait before trying again. */
const STREAM_RETRY_AFTER_S = 5;

export interface StreamLimits {
  perCredential: number;
  perTenant: number;
}

/** Whose stream it is: the tenant it counts against, and the credential (or person) holding it. */
export interface StreamHolder {
  tenantId: string;
  holder: string;
}

/** Counts a new stream against its tenant and holder, or refuses it with 429; the returned function releases it. */
function streamAdmission(limits: StreamLimits) {
  const { perCredential, perTenant } = limits;
  // Streams held now, by tenant and by holder: one credential must not exhaust the process's sockets.
  const byTenant = new KeyedSlots(perTenant);
  const byHolder = new KeyedSlots(perCredential);
  return (reply: FastifyReply, who: StreamHolder): (() => void) => {
    const holder = `${who.tenantId}/${who.holder}`;
    const refuse = (limit: number, scope: string): AppError => {
      reply.header('retry-after', String(STREAM_RETRY_AFTER_S));
      return new AppError(
        'RATE_LIMITED',
        `${scope} already has ${limit} live streams open, the most allowed; close one before opening another`,
      );
    };
    if (!byHolder.take(holder)) throw refuse(perCredential, 'this credential');
    if (!byTenant.take(who.tenantId)) {
      byHolder.give(holder);
      throw refuse(perTenant, 'this tenant');
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      byTenant.give(who.tenantId);
      byHolder.give(holder);
    };
  };
}

/**
 * Live updates as server-sent events, shared by the surfaces that stream them: one stream per
 * request, a bus subscription written out in the surface's `frame`, ended when the client leaves
 * or shutdown begins (`endAll`, which the surface calls from its `preClose` hook so draining the
 * server never waits on open streams).
 */
export function liveStreams(limits: StreamLimits, frame: (event: LiveEvent) => string) {
  const admit = streamAdmission(limits);
  const open = new Set<() => void>();
  let closing = false;

  const endAll = (): void => {
    closing = true;
    for (const end of [...open]) end();
  };

  /**
   * `stillAllowed`, when given, is asked at every heartbeat: a stream whose reader may no longer
   * read it (signed out, session expired, role changed) is ended, and the reconnect is refused.
   */
  const stream = async (
    reply: FastifyReply,
    who: StreamHolder,
    watch: (listener: (event: LiveEvent) => void) => Promise<LiveSubscription>,
    stillAllowed?: () => Promise<boolean>,
  ) => {
    const release = admit(reply, who);
    const out = new PassThrough();
    // The first bytes flush the headers at once, so the client knows the subscription is live.
    out.write(`retry: ${RETRY_MS}\n: connected\n\n`);
    let ended = false;
    let heartbeat: NodeJS.Timeout | undefined;
    // Filled once subscribed; `end` may run before that (a reader falling behind at once).
    const held: { subscription?: LiveSubscription } = {};
    const end = (): void => {
      if (ended) return;
      ended = true;
      release();
      clearInterval(heartbeat);
      open.delete(end);
      out.end();
      held.subscription?.close().catch((err: unknown) => reply.log.warn({ err }, 'closing a live subscription failed'));
    };
    // Subscribed before the 200 goes out, so a NOT_FOUND or an unreachable broker is still a proper error envelope.
    const subscription = await watch((event) => {
      if (ended) return;
      out.write(frame(event));
      if (out.writableLength > MAX_BUFFERED_BYTES) end();
    }).catch((err: unknown) => {
      release();
      throw err;
    });
    held.subscription = subscription;
    if (ended) {
      // A reader that fell behind before this point ended the stream while `subscription` was not yet known.
      await subscription.close();
    } else {
      heartbeat = setInterval(() => {
        out.write(': heartbeat\n\n');
        // A failed check ends the stream too: the reconnect asks afresh.
        if (stillAllowed) void stillAllowed().then((allowed) => allowed || end(), end);
      }, HEARTBEAT_MS);
      open.add(end);
      reply.raw.once('close', end);
      // The client left, or shutdown began, while the subscription was being made.
      if (closing || reply.raw.destroyed) end();
    }
    return (
      reply
        .header('content-type', 'text/event-stream; charset=utf-8')
        .header('cache-control', 'no-cache, no-transform')
        // nginx would otherwise buffer the stream and deliver events in lumps.
        .header('x-accel-buffering', 'no')
        .send(out)
    );
  };

  return { stream, endAll };
}
