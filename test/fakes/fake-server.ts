import { createServer } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadVendorDocuments } from './vendor-document.js';

/**
 * What every vendor fake stands on: an HTTP server on 127.0.0.1 (a free port) that records each
 * request, routes it by method and path to the fake's handlers, serves one-shot scripted answers
 * and failures first, answers unknown routes with a 404 in the vendor's error shape, and checks
 * each request against the vendor's own OpenAPI documents. A request the vendor would refuse is
 * answered 400 and kept in `violations`; `close()` then throws, so the test that made it fails.
 */

export interface FakeRequest {
  method: string;
  /** The path as sent, without the query string. */
  path: string;
  /** The path and query string as sent. */
  url: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  raw: Buffer;
  /** The body parsed as JSON; undefined when empty or not JSON. */
  json: unknown;
  receivedAt: Date;
}

/** An answer: a string or Buffer body goes out as it is, anything else as JSON. */
export interface Answer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Waits this long before answering. */
  delayMs?: number;
  /** Sends the headers and this many bytes of the body, then nothing more (a stalled download). */
  stallAfterBytes?: number;
}

/** An answer, no answer at all (the connection stays open), or a dropped connection. */
export type Reply = Answer | { hang: true } | { drop: true };

export interface Route {
  method: string;
  /** An exact path, or a pattern whose groups reach the handler as `params`. */
  path: string | RegExp;
  /** Serves something the vendor's documents do not describe, so no request to it is checked. */
  undocumented?: true;
  handle(req: FakeRequest, params: string[]): Reply | Promise<Reply>;
}

/** Which requests a scripted reply applies to; any request when omitted. */
export interface RequestMatch {
  method?: string;
  /** Matches when the path starts with this string, or fits this pattern. */
  path?: string | RegExp;
}

export interface FakeServerOptions<R> {
  routes: Route[];
  /** The vendor's error answer, for unknown routes and refused requests. */
  error(status: number, message: string): Answer;
  /** Headers on every answer (content type, request ids), under the answer's own. */
  headers?: () => Record<string, string>;
  /** Runs after scripted replies, before a matched route; an answer here ends the request (authentication). */
  guard?(req: FakeRequest): Reply | undefined;
  /** The vendor's OpenAPI documents under test/vendor-specs (see its README). */
  documents?: string[];
  /** How the fake shows a request in its own `requests` list. */
  record(req: FakeRequest): R | Promise<R>;
}

export interface FakeServer<R> {
  /** `http://127.0.0.1:<port>` */
  url: string;
  port: number;
  requests: R[];
  /** Every way a received request broke the vendor's documents. */
  violations: string[];
  /** Answers the next request that matches (after the document check) with this instead of routing it. */
  replyNext: (reply: Reply, match?: RequestMatch) => void;
  /** Drops connections left hanging and stops; throws when a request broke the vendor's documents. */
  close: () => Promise<void>;
}

export async function startFakeServer<R>(options: FakeServerOptions<R>): Promise<FakeServer<R>> {
  const requests: R[] = [];
  const violations: string[] = [];
  const scripted: { reply: Reply; match: RequestMatch }[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const documents = options.documents ? loadVendorDocuments(options.documents) : undefined;

  const server = createServer((req, res) => {
    void serve(req, res);
  });

  async function serve(incoming: IncomingMessage, res: ServerResponse): Promise<void> {
    const req = await receive(incoming);
    requests.push(await options.record(req));
    const found = route(req);
    if (documents && !found?.route.undocumented) {
      const problems = await documents.check({
        method: req.method,
        path: req.path,
        search: new URLSearchParams(req.url.slice(req.path.length)),
        headers: req.headers,
        raw: req.raw,
      });
      if (problems.length > 0) {
        violations.push(...problems);
        return answer(
          res,
          options.error(found ? 400 : 404, `fake: the vendor's document refuses this request: ${problems.join('; ')}`),
        );
      }
    }
    const at = scripted.findIndex(({ match }) => matches(match, req));
    if (at >= 0) return answer(res, scripted.splice(at, 1)[0]!.reply);
    if (!found) return answer(res, options.error(404, `fake: no route for ${req.method} ${req.path}`));
    const refused = options.guard?.(req);
    if (refused) return answer(res, refused);
    try {
      return answer(res, await found.route.handle(req, found.params));
    } catch (err) {
      // A fake with nothing scripted, or a broken handler, answers like a vendor's crash rather than never.
      return answer(res, options.error(500, err instanceof Error ? err.message : String(err)));
    }
  }

  function route(req: FakeRequest): { route: Route; params: string[] } | undefined {
    for (const r of options.routes) {
      if (r.method !== req.method) continue;
      if (typeof r.path === 'string') {
        if (r.path === req.path) return { route: r, params: [] };
        continue;
      }
      const m = r.path.exec(req.path);
      if (m) return { route: r, params: m.slice(1).map((p) => decodeURIComponent(p ?? '')) };
    }
    return undefined;
  }

  function answer(res: ServerResponse, reply: Reply): void {
    if ('hang' in reply) return;
    if ('drop' in reply) {
      res.socket?.destroy();
      return;
    }
    const send = () => {
      timers.delete(timer);
      if (res.destroyed) return;
      const raw = Buffer.isBuffer(reply.body)
        ? reply.body
        : Buffer.from(
            typeof reply.body === 'string' ? reply.body : reply.body === undefined ? '' : JSON.stringify(reply.body),
          );
      res.writeHead(reply.status, { ...options.headers?.(), ...reply.headers });
      if (reply.stallAfterBytes === undefined) res.end(raw);
      else res.write(raw.subarray(0, reply.stallAfterBytes));
    };
    const timer = setTimeout(send, reply.delayMs ?? 0);
    timers.add(timer);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    violations,
    replyNext(reply, match = {}) {
      scripted.push({ reply, match });
    },
    async close() {
      for (const timer of timers) clearTimeout(timer);
      // Hanging requests hold their sockets open; drop them so close() returns.
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (violations.length > 0) throw new Error(`requests the vendor would refuse:\n${violations.join('\n')}`);
    },
  };
}

/** A fake that answers each request with the next scripted reply. */
export interface ScriptedFake<R, T> {
  /** `http://127.0.0.1:<port>` */
  url: string;
  requests: R[];
  /** Requests the vendor's documents refuse. */
  violations: string[];
  /** Replies in order, one per request; the last one repeats. */
  reply: (...replies: T[]) => void;
  close: () => Promise<void>;
}

/** A request with a JSON body, as most fakes record it. */
export interface JsonRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  body: unknown;
}

export function recordJson(req: FakeRequest): JsonRequest {
  return { method: req.method, path: req.path, query: req.query, headers: req.headers, body: req.json };
}

/** Replies used in order, one per request; the last one repeats. */
export function replyScript<T>(): { set: (...replies: T[]) => void; next: () => T } {
  let script: T[] = [];
  let served = 0;
  return {
    set(...replies) {
      script = replies;
      served = 0;
    },
    next() {
      const reply = script[Math.min(served++, script.length - 1)];
      if (reply === undefined) throw new Error('fake: no reply scripted');
      return reply;
    },
  };
}

async function receive(req: IncomingMessage): Promise<FakeRequest> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);
  const url = req.url ?? '/';
  const path = url.split('?')[0] ?? '/';
  let json: unknown;
  try {
    json = raw.length > 0 ? JSON.parse(raw.toString('utf8')) : undefined;
  } catch {
    json = undefined;
  }
  return {
    method: req.method ?? '',
    path,
    url,
    query: Object.fromEntries(new URL(url, 'http://127.0.0.1').searchParams),
    headers: req.headers,
    raw,
    json,
    receivedAt: new Date(),
  };
}

function matches(match: RequestMatch, req: FakeRequest): boolean {
  if (match.method && match.method !== req.method) return false;
  if (match.path === undefined) return true;
  return typeof match.path === 'string' ? req.path.startsWith(match.path) : match.path.test(req.path);
}
