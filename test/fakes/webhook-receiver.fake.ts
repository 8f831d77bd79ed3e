import type { IncomingHttpHeaders } from 'node:http';
import { replyScript, startFakeServer } from './fake-server.js';

/**
 * A tenant's webhook receiver on 127.0.0.1: records every request with its raw body and
 * answers as scripted (status, body, headers, delay). Replies are used in order; the
 * last one repeats.
 */

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The raw body, exactly as received (what signatures are checked against). */
  body: string;
  receivedAt: Date;
}

export interface ReceiverReply {
  status: number;
  body?: string;
  headers?: Record<string, string>;
  /** Waits this long before answering (timeouts). */
  delayMs?: number;
}

export interface WebhookReceiver {
  /** `http://127.0.0.1:<port>` */
  url: string;
  port: number;
  requests: ReceivedRequest[];
  reply(...replies: ReceiverReply[]): void;
  /** Resolves once `count` requests arrived; rejects after timeoutMs. */
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedRequest[]>;
  close(): Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const script = replyScript<ReceiverReply>();
  script.set({ status: 200, body: 'ok' });
  const answer = () => {
    const reply = script.next();
    return { ...reply, headers: { 'content-type': 'text/plain', ...reply.headers } };
  };

  const server = await startFakeServer<ReceivedRequest>({
    // Any method on any path: a tenant's endpoint is whatever URL the tenant registered.
    routes: ['POST', 'PUT', 'GET', 'PATCH', 'DELETE'].map((method) => ({ method, path: /^\//, handle: answer })),
    error: (status, message) => ({ status, body: message }),
    record: (req) => ({
      method: req.method,
      path: req.url,
      headers: req.headers,
      body: req.raw.toString('utf8'),
      receivedAt: req.receivedAt,
    }),
  });
  const { requests } = server;

  return {
    url: server.url,
    port: server.port,
    requests,
    reply: script.set,
    async waitFor(count, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (requests.length < count) {
        if (Date.now() > deadline)
          throw new Error(`receiver got ${requests.length} of ${count} requests within ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 10));
      }
      return requests.slice(0, count);
    },
    close: server.close,
  };
}
