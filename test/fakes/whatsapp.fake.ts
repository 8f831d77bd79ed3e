import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody } from './request-body.js';

/**
 * The WhatsApp Cloud API's send endpoint on 127.0.0.1: `POST /{version}/{phone_number_id}/messages`
 * with `Authorization: Bearer <token>`. Answers as Graph does: `{messaging_product, contacts, messages:[{id:"wamid…"}]}`,
 * or `{error:{message, type, code, fbtrace_id}}` — 190 for a bad token, 100 for a malformed body, 131047
 * for a free-form message to a number whose 24-hour window the test has closed (`closeWindow`).
 */

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
}

export interface WhatsAppFake {
  url: string;
  requests: RecordedRequest[];
  /** Numbers that only accept templates. */
  closeWindow(to: string): void;
  /** The next answers, in order (status and JSON body), before normal behaviour resumes. */
  replyNext(...replies: { status: number; body: unknown }[]): void;
  close(): Promise<void>;
}

export async function startWhatsAppFake(opts: { accessToken: string; phoneNumberId: string; version?: string }): Promise<WhatsAppFake> {
  const requests: RecordedRequest[] = [];
  const closed = new Set<string>();
  let scripted: { status: number; body: unknown }[] = [];
  const graphError = (code: number, message: string, type = 'OAuthException') => ({ error: { message, type, code, fbtrace_id: randomBytes(8).toString('hex') } });

  const server = createServer((req, res) => void handle(req, res));
  async function handle(req: IncomingMessage, res: ServerResponse) {
    const raw = await readBody(req);
    const body = parse(raw);
    requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body });
    const next = scripted.shift();
    if (next) return json(res, next.status, next.body);
    if (req.method !== 'POST' || req.url !== `/${opts.version ?? 'v21.0'}/${opts.phoneNumberId}/messages`) return json(res, 400, graphError(100, 'Unsupported post request.', 'GraphMethodException'));
    if (req.headers.authorization !== `Bearer ${opts.accessToken}`) return json(res, 401, graphError(190, 'Invalid OAuth access token - Cannot parse access token'));
    const to = typeof body.to === 'string' ? body.to : '';
    if (body.messaging_product !== 'whatsapp' || !to || !['text', 'interactive', 'template'].includes(String(body.type))) return json(res, 400, graphError(100, '(#100) Invalid parameter'));
    if (body.type !== 'template' && closed.has(to)) {
      return json(res, 400, graphError(131047, 'Re-engagement message', 'OAuthException'));
    }
    return json(res, 200, { messaging_product: 'whatsapp', contacts: [{ input: to, wa_id: to }], messages: [{ id: `wamid.${randomBytes(12).toString('hex')}` }] });
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    closeWindow: (to) => closed.add(to),
    replyNext: (...r) => {
      scripted = r;
    },
    close: () => closeServer(server),
  };
}

export function parse(raw: string): Record<string, unknown> {
  try {
    const v = JSON.parse(raw) as unknown;
    return typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

export function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

export function closeServer(server: ReturnType<typeof createServer>): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}
