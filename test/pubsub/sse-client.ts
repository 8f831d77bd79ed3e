import http, { type IncomingHttpHeaders } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

/** One server-sent event as a browser's EventSource would see it. */
export interface SseMessage {
  id: string | undefined;
  event: string | undefined;
  data: string;
  /** `data` parsed as JSON. */
  json: Record<string, unknown>;
}

export interface SseStream {
  status: number;
  headers: IncomingHttpHeaders;
  /** The body of a non-200 answer (an error envelope). */
  body(): string;
  messages: SseMessage[];
  /** Comment lines (`: heartbeat`), without the colon. */
  comments: string[];
  /** `retry:` values the server sent. */
  retries: number[];
  /** True once the server ended the response. */
  ended(): boolean;
  /** Waits until `count` messages arrived (or fails with what did). */
  waitForMessages(count: number, timeoutMs?: number): Promise<SseMessage[]>;
  waitForComment(text: string, timeoutMs?: number): Promise<void>;
  waitForEnd(timeoutMs?: number): Promise<void>;
  /** Hangs up, as a closed browser tab does. */
  close(): void;
}

/** Opens a GET to an SSE endpoint over real HTTP; resolves once the response headers are in. */
export function openSse(url: string, headers: Record<string, string>): Promise<SseStream> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { headers: { accept: 'text/event-stream', ...headers } }, (res) => {
      let buffer = '';
      let raw = '';
      let ended = false;
      const messages: SseMessage[] = [];
      const comments: string[] = [];
      const retries: number[] = [];
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        raw += chunk;
        buffer += chunk;
        let cut: number;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const fields: Record<string, string> = {};
          const data: string[] = [];
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) {
              comments.push(line.slice(1).trim());
              continue;
            }
            const colon = line.indexOf(':');
            const name = colon < 0 ? line : line.slice(0, colon);
            const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
            if (name === 'data') data.push(value);
            else if (name === 'retry') retries.push(Number(value));
            else fields[name] = value;
          }
          if (data.length > 0) {
            const text = data.join('\n');
            messages.push({
              id: fields.id,
              event: fields.event,
              data: text,
              json: JSON.parse(text) as Record<string, unknown>,
            });
          }
        }
      });
      const finish = () => {
        ended = true;
      };
      res.on('end', finish);
      res.on('close', finish);
      // Hanging up mid-stream aborts the response; that is how a stream is meant to end here.
      res.on('error', finish);
      const until = async (check: () => boolean, what: () => string, timeoutMs: number) => {
        const deadline = Date.now() + timeoutMs;
        while (!check()) {
          if (Date.now() > deadline) throw new Error(`timed out waiting for ${what()}; received: ${raw}`);
          await sleep(5);
        }
      };
      resolve({
        status: res.statusCode ?? 0,
        headers: res.headers,
        body: () => raw,
        messages,
        comments,
        retries,
        ended: () => ended,
        async waitForMessages(count, timeoutMs = 5_000) {
          await until(
            () => messages.length >= count,
            () => `${count} messages`,
            timeoutMs,
          );
          return messages;
        },
        waitForComment: (text, timeoutMs = 5_000) =>
          until(
            () => comments.includes(text),
            () => `comment '${text}'`,
            timeoutMs,
          ),
        waitForEnd: (timeoutMs = 5_000) =>
          until(
            () => ended,
            () => 'the end of the stream',
            timeoutMs,
          ),
        close: () => request.destroy(),
      });
    });
    request.on('error', reject);
  });
}
