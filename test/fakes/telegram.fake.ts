import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody } from './request-body.js';
import { closeServer, json, parse, type RecordedRequest } from './whatsapp.fake.js';

/**
 * The Telegram Bot API on 127.0.0.1: `POST /bot<token>/sendMessage` answers `{ok:true, result:{message_id, chat, date, text}}`;
 * `answerCallbackQuery` answers `{ok:true, result:true}`; a wrong token `401 {ok:false, error_code:401, description:"Unauthorized"}`;
 * a missing chat_id or text `400 {ok:false, error_code:400, description:"Bad Request: …"}`.
 */

export interface TelegramFake {
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

export async function startTelegramFake(opts: { botToken: string }): Promise<TelegramFake> {
  const requests: RecordedRequest[] = [];
  let messageId = 100;
  const server = createServer((req, res) => void handle(req, res));
  async function handle(req: IncomingMessage, res: ServerResponse) {
    const body = parse(await readBody(req));
    requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body });
    const match = /^\/bot([^/]+)\/(\w+)$/.exec(req.url ?? '');
    if (!match || req.method !== 'POST') return json(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
    if (match[1] !== opts.botToken) return json(res, 401, { ok: false, error_code: 401, description: 'Unauthorized' });
    if (match[2] === 'answerCallbackQuery') return json(res, 200, { ok: true, result: true });
    if (match[2] !== 'sendMessage') return json(res, 404, { ok: false, error_code: 404, description: 'Not Found: method not found' });
    if (body.chat_id === undefined) return json(res, 400, { ok: false, error_code: 400, description: 'Bad Request: chat_id is empty' });
    if (typeof body.text !== 'string' || !body.text) return json(res, 400, { ok: false, error_code: 400, description: 'Bad Request: message text is empty' });
    messageId += 1;
    return json(res, 200, { ok: true, result: { message_id: messageId, chat: { id: Number(body.chat_id), type: 'private' }, date: Math.floor(Date.now() / 1000), text: body.text } });
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests, close: () => closeServer(server) };
}
