import { createServer } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody } from './request-body.js';

/**
 * A Slack incoming webhook on 127.0.0.1: `POST /services/T…/B…/<secret>` with a JSON body.
 * Answers as Slack does, with a plain-text body: `200 ok`; `400 invalid_payload` for a body that
 * is not JSON, `400 no_text` without text or blocks, `400 invalid_blocks` for blocks over Block
 * Kit's limits; `404 no_service` for an unknown hook. Tests can script the next answers
 * (`410 channel_is_archived`, `429` with Retry-After, `500 rollup_error`, or no answer at all).
 */

export type SlackFakeReply = { status: number; body: string; headers?: Record<string, string> } | { hang: true };

export interface SlackPost {
  path: string;
  headers: IncomingHttpHeaders;
  raw: string;
  /** Undefined when the body was not JSON. */
  payload: unknown;
}

export interface SlackFake {
  /** A webhook URL the fake accepts. */
  webhookUrl: string;
  url: string;
  posts: SlackPost[];
  /** Answers for the next posts, in order, before normal validation resumes. */
  replyNext(...replies: SlackFakeReply[]): void;
  close(): Promise<void>;
}

const HOOK_PATH = '/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX';

export async function startSlackFake(): Promise<SlackFake> {
  const posts: SlackPost[] = [];
  let scripted: SlackFakeReply[] = [];

  const server = createServer((req, res) => {
    void handle(req, res);
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    let payload: unknown;
    try {
      payload = JSON.parse(raw) as unknown;
    } catch {
      payload = undefined;
    }
    posts.push({ path: req.url ?? '/', headers: req.headers, raw, payload });

    const next = scripted.shift();
    if (next && 'hang' in next) return;
    if (next) return send(res, next.status, next.body, next.headers);
    if (req.method !== 'POST' || req.url !== HOOK_PATH) return send(res, 404, 'no_service');
    if (payload === undefined || typeof payload !== 'object' || payload === null) return send(res, 400, 'invalid_payload');
    const message = payload as { text?: unknown; blocks?: unknown };
    if (!message.text && !message.blocks) return send(res, 400, 'no_text');
    if (message.blocks !== undefined && !blocksValid(message.blocks)) return send(res, 400, 'invalid_blocks');
    return send(res, 200, 'ok');
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    webhookUrl: `${url}${HOOK_PATH}`,
    url,
    posts,
    replyNext(...replies) {
      scripted = replies;
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

interface TextObject {
  type?: unknown;
  text?: unknown;
}

/** The Block Kit rules a lead alert can break: known block types, text objects, and the length limits. */
function blocksValid(blocks: unknown): boolean {
  if (!Array.isArray(blocks) || blocks.length > 50) return false;
  const text = (t: unknown, max: number, plainOnly = false): boolean => {
    const o = t as TextObject | undefined;
    return typeof o?.text === 'string' && o.text.length > 0 && o.text.length <= max && (o.type === 'plain_text' || (!plainOnly && o.type === 'mrkdwn'));
  };
  return blocks.every((block: { type?: unknown; text?: unknown; fields?: unknown; elements?: unknown }) => {
    switch (block.type) {
      case 'header':
        return text(block.text, 150, true);
      case 'section': {
        const fields = block.fields;
        if (block.text === undefined && fields === undefined) return false;
        if (block.text !== undefined && !text(block.text, 3000)) return false;
        return fields === undefined || (Array.isArray(fields) && fields.length <= 10 && fields.every((f) => text(f, 2000)));
      }
      case 'actions':
        return (
          Array.isArray(block.elements) &&
          block.elements.length <= 25 &&
          block.elements.every((e: { type?: unknown; text?: unknown; url?: unknown }) => e.type === 'button' && text(e.text, 75, true) && (e.url === undefined || (typeof e.url === 'string' && e.url.length <= 3000)))
        );
      case 'context':
        return Array.isArray(block.elements) && block.elements.length <= 10;
      default:
        return false;
    }
  });
}

function send(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'text/html', ...headers });
  res.end(body);
}
