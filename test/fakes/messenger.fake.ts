import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody } from './request-body.js';
import { closeServer, json, parse, type RecordedRequest } from './whatsapp.fake.js';

/**
 * The Messenger Send API on 127.0.0.1: `POST /{version}/me/messages?access_token=<page token>` with
 * `{recipient:{id}, messaging_type, message:{text, quick_replies}}`; answers `{recipient_id, message_id}`,
 * or Graph's `{error:{…, code: 190}}` for a bad token and `code: 100` for a malformed message.
 */

export interface MessengerFake {
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

export async function startMessengerFake(opts: { pageAccessToken: string; version?: string }): Promise<MessengerFake> {
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => void handle(req, res));
  async function handle(req: IncomingMessage, res: ServerResponse) {
    const body = parse(await readBody(req));
    requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body });
    const url = new URL(req.url ?? '/', 'http://fake');
    if (req.method !== 'POST' || url.pathname !== `/${opts.version ?? 'v21.0'}/me/messages`) return json(res, 400, { error: { message: 'Unknown path components', type: 'OAuthException', code: 2500 } });
    if (url.searchParams.get('access_token') !== opts.pageAccessToken) return json(res, 400, { error: { message: 'Invalid OAuth access token.', type: 'OAuthException', code: 190 } });
    const recipient = (body.recipient as { id?: unknown } | undefined)?.id;
    const message = body.message as { text?: unknown } | undefined;
    if (typeof recipient !== 'string' || typeof message?.text !== 'string' || !body.messaging_type) return json(res, 400, { error: { message: '(#100) Invalid parameter', type: 'OAuthException', code: 100 } });
    return json(res, 200, { recipient_id: recipient, message_id: `m_${randomBytes(12).toString('hex')}` });
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests, close: () => closeServer(server) };
}
