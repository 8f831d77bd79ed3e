import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody } from './request-body.js';
import { closeServer, json, parse, type RecordedRequest } from './whatsapp.fake.js';

/**
 * Slack's Web API `chat.postMessage` and slash-command `response_url`s on 127.0.0.1.
 * `POST /api/chat.postMessage` with `Authorization: Bearer xoxb-…` answers HTTP 200 `{ok:true, channel, ts}`
 * or `{ok:false, error:"invalid_auth" | "channel_not_found" | "no_text"}`; `POST /commands/…` (a
 * response_url, as `responseUrl(…)` makes) answers `200 ok`.
 */

export interface SlackWebFake {
  url: string;
  requests: RecordedRequest[];
  /** A response_url on this fake, like https://hooks.slack.com/commands/T…/…/… */
  responseUrl(id: string): string;
  close(): Promise<void>;
}

export async function startSlackWebFake(opts: { botToken: string }): Promise<SlackWebFake> {
  const requests: RecordedRequest[] = [];
  let ts = 1_700_000_000;
  const server = createServer((req, res) => void handle(req, res));
  async function handle(req: IncomingMessage, res: ServerResponse) {
    const body = parse(await readBody(req));
    requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body });
    if (req.method === 'POST' && req.url?.startsWith('/commands/')) {
      res.writeHead(typeof body.text === 'string' ? 200 : 400, { 'content-type': 'text/plain' });
      return res.end(typeof body.text === 'string' ? 'ok' : 'no_text');
    }
    if (req.method !== 'POST' || req.url !== '/api/chat.postMessage') return json(res, 404, { ok: false, error: 'unknown_method' });
    if (req.headers.authorization !== `Bearer ${opts.botToken}`) return json(res, 200, { ok: false, error: 'invalid_auth' });
    if (typeof body.channel !== 'string' || !body.channel) return json(res, 200, { ok: false, error: 'channel_not_found' });
    if (typeof body.text !== 'string' && !Array.isArray(body.blocks)) return json(res, 200, { ok: false, error: 'no_text' });
    ts += 1;
    return json(res, 200, { ok: true, channel: body.channel, ts: `${ts}.000100`, message: { text: body.text, type: 'message' } });
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, requests, responseUrl: (id) => `${url}/commands/T0001/${id}/secret`, close: () => closeServer(server) };
}
