import http, { type IncomingMessage, type RequestOptions } from 'node:http';
import https from 'node:https';
import { Readable } from 'node:stream';

/** The WHATWG `fetch` signature the OpenAI and Anthropic SDKs take as their `fetch` option. */
export type Fetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/**
 * Checks a URL and answers the node:http options that connect to exactly the addresses it
 * checked; rejects with `UrlRefusedError` before any connection is made.
 */
export type OpenTarget = (url: string) => Promise<RequestOptions>;

/** Statuses whose response has no body whatever the server sends. */
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

/**
 * `fetch` for SDKs and vendor clients whose URLs tenants configure, on node:http rather than the
 * global fetch: the global one resolves the host itself when it connects, which would reopen the
 * window between the check and the connection. The request body is buffered (SDK requests and
 * audio uploads are already in memory); the response body streams. Redirects are returned, never
 * followed, and the response is never content-decoded, so no coding is asked for.
 */
export function createGuardedFetch(open: OpenTarget): Fetch {
  return async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const signal = init?.signal ?? (input instanceof Request ? input.signal : undefined);
    signal?.throwIfAborted();
    const options = await (signal ? untilAborted(open(url), signal) : open(url));
    // Request normalises every header and body form the fetch API accepts (FormData included).
    const request = new Request(input, init);
    const body = request.body ? Buffer.from(await request.arrayBuffer()) : undefined;
    const headers: Record<string, string> = { ...Object.fromEntries(request.headers), 'accept-encoding': 'identity' };
    if (body) headers['content-length'] = String(body.length);
    return send({ ...options, method: request.method, headers }, body, signal ?? undefined);
  };
}

/** `work`, or the signal's reason as soon as it fires: an SDK's timeout must cover resolving the host too. */
export function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_resolve, reject) => {
    onAbort = () =>
      reject(
        signal.reason instanceof Error ? signal.reason : new DOMException('This operation was aborted', 'AbortError'),
      );
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  return Promise.race([work, aborted]).finally(() => signal.removeEventListener('abort', onAbort!));
}

function send(options: RequestOptions, body: Buffer | undefined, signal: AbortSignal | undefined): Promise<Response> {
  const client = options.protocol === 'https:' ? https : http;
  return new Promise<Response>((resolve, reject) => {
    const request = client.request(options);
    let response: IncomingMessage | undefined;
    // Aborting fails the pending promise or, once the headers are in, the body being read, with the signal's reason as fetch does.
    const onAbort = (): void => {
      const reason: unknown = signal?.reason;
      const error = reason instanceof Error ? reason : new DOMException('This operation was aborted', 'AbortError');
      if (response) response.destroy(error);
      else request.destroy();
      reject(error);
    };
    const done = (): void => signal?.removeEventListener('abort', onAbort);
    signal?.addEventListener('abort', onAbort, { once: true });

    request.on('error', (error) => {
      done();
      reject(new TypeError('fetch failed', { cause: error }));
    });
    request.on('response', (res) => {
      response = res;
      res.on('close', done);
      const status = res.statusCode ?? 0;
      if (status < 200 || status > 599) {
        res.destroy();
        reject(new TypeError('fetch failed', { cause: new Error(`invalid HTTP status ${status}`) }));
        return;
      }
      const headers = new Headers();
      for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) headers.append(res.rawHeaders[i]!, res.rawHeaders[i + 1]!);
      const empty = options.method === 'HEAD' || NULL_BODY_STATUSES.has(status);
      if (empty) res.resume();
      const stream = empty ? null : (Readable.toWeb(res) as ReadableStream<Uint8Array>);
      resolve(new Response(stream, { status, statusText: res.statusMessage ?? '', headers }));
    });
    request.end(body);
  });
}
