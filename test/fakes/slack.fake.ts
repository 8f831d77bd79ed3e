import type { IncomingHttpHeaders } from 'node:http';
import { startFakeServer, type Answer, type FakeRequest } from './fake-server.js';

/**
 * A Slack incoming webhook on 127.0.0.1: `POST /services/T…/B…/<secret>` with a JSON body.
 * Answers as Slack does, with a plain-text body: `200 ok`; `400 invalid_payload` for a body that
 * is not JSON, `400 no_text` without text or blocks, `400 invalid_blocks` for blocks over Block
 * Kit's limits; `404 no_service` for an unknown hook. Tests can script the next answers
 * (`410 channel_is_archived`, `429` with Retry-After, `500 rollup_error`, or no answer at all).
 * Slack publishes no OpenAPI document for incoming webhooks, so nothing is checked against one.
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
  function post(req: FakeRequest): Answer {
    const payload = req.json;
    if (payload === undefined || typeof payload !== 'object' || payload === null) return text(400, 'invalid_payload');
    const message = payload as { text?: unknown; blocks?: unknown };
    if (!message.text && !message.blocks) return text(400, 'no_text');
    if (message.blocks !== undefined && !blocksValid(message.blocks)) return text(400, 'invalid_blocks');
    return text(200, 'ok');
  }

  const server = await startFakeServer<SlackPost>({
    routes: [{ method: 'POST', path: HOOK_PATH, handle: post }],
    error: (status) => text(status, 'no_service'),
    headers: () => ({ 'content-type': 'text/html' }),
    record: (req) => ({ path: req.url, headers: req.headers, raw: req.raw.toString('utf8'), payload: req.json }),
  });
  return {
    webhookUrl: `${server.url}${HOOK_PATH}`,
    url: server.url,
    posts: server.requests,
    replyNext(...replies) {
      for (const reply of replies)
        server.replyNext(
          'hang' in reply ? reply : { status: reply.status, body: reply.body, headers: reply.headers ?? {} },
        );
    },
    close: server.close,
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
    return (
      typeof o?.text === 'string' &&
      o.text.length > 0 &&
      o.text.length <= max &&
      (o.type === 'plain_text' || (!plainOnly && o.type === 'mrkdwn'))
    );
  };
  return blocks.every((block: { type?: unknown; text?: unknown; fields?: unknown; elements?: unknown }) => {
    switch (block.type) {
      case 'header':
        return text(block.text, 150, true);
      case 'section': {
        const fields = block.fields;
        if (block.text === undefined && fields === undefined) return false;
        if (block.text !== undefined && !text(block.text, 3000)) return false;
        return (
          fields === undefined || (Array.isArray(fields) && fields.length <= 10 && fields.every((f) => text(f, 2000)))
        );
      }
      case 'actions':
        return (
          Array.isArray(block.elements) &&
          block.elements.length <= 25 &&
          block.elements.every(
            (e: { type?: unknown; text?: unknown; url?: unknown }) =>
              e.type === 'button' &&
              text(e.text, 75, true) &&
              (e.url === undefined || (typeof e.url === 'string' && e.url.length <= 3000)),
          )
        );
      case 'context':
        return Array.isArray(block.elements) && block.elements.length <= 10;
      default:
        return false;
    }
  });
}

function text(status: number, body: string): Answer {
  return { status, body };
}
