import { randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { startFakeServer, type Answer, type FakeRequest } from './fake-server.js';

/**
 * The WhatsApp Cloud API's send endpoint on 127.0.0.1: `POST /{version}/{phone_number_id}/messages`
 * with `Authorization: Bearer <token>`. Answers as Graph does: `{messaging_product, contacts, messages:[{id:"wamid…"}]}`,
 * or `{error:{message, type, code, fbtrace_id}}` — 190 for a bad token, 100 for a malformed body, 131047
 * for a free-form message to a number whose 24-hour window the test has closed (`closeWindow`).
 */

/** A request to a messaging channel's fake: the path with its query string, the JSON body as an object. */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
}

export interface WhatsAppFake {
  url: string;
  requests: RecordedRequest[];
  /** Requests Meta's document refuses. */
  violations: string[];
  /** Numbers that only accept templates. */
  closeWindow(to: string): void;
  /** The next answers, in order (status and JSON body), before normal behaviour resumes. */
  replyNext(...replies: { status: number; body: unknown }[]): void;
  close(): Promise<void>;
}

export async function startWhatsAppFake(opts: {
  accessToken: string;
  phoneNumberId: string;
  version?: string;
}): Promise<WhatsAppFake> {
  const closed = new Set<string>();

  function send(req: FakeRequest): Answer {
    const body = recordChannelRequest(req).body;
    const to = typeof body.to === 'string' ? body.to : '';
    if (
      body.messaging_product !== 'whatsapp' ||
      !to ||
      !['text', 'interactive', 'template'].includes(String(body.type))
    )
      return graphError(400, 100, '(#100) Invalid parameter');
    if (body.type !== 'template' && closed.has(to)) return graphError(400, 131047, 'Re-engagement message');
    return {
      status: 200,
      body: {
        messaging_product: 'whatsapp',
        contacts: [{ input: to, wa_id: to }],
        messages: [{ id: `wamid.${randomBytes(12).toString('hex')}` }],
      },
    };
  }

  const server = await startFakeServer<RecordedRequest>({
    documents: ['whatsapp-cloud.json'],
    routes: [{ method: 'POST', path: `/${opts.version ?? 'v21.0'}/${opts.phoneNumberId}/messages`, handle: send }],
    error: (status, message) => graphError(status, 100, message, 'GraphMethodException'),
    headers: () => ({ 'content-type': 'application/json' }),
    guard: (req) =>
      req.headers.authorization === `Bearer ${opts.accessToken}`
        ? undefined
        : graphError(401, 190, 'Invalid OAuth access token - Cannot parse access token'),
    record: recordChannelRequest,
  });
  return {
    url: server.url,
    requests: server.requests,
    violations: server.violations,
    closeWindow: (to) => closed.add(to),
    replyNext: (...replies) => {
      for (const reply of replies) server.replyNext(reply);
    },
    close: server.close,
  };
}

/** Graph's error body, shared by the WhatsApp and Messenger fakes. */
export function graphError(status: number, code: number, message: string, type = 'OAuthException'): Answer {
  return { status, body: { error: { message, type, code, fbtrace_id: randomBytes(8).toString('hex') } } };
}

export function recordChannelRequest(req: FakeRequest): RecordedRequest {
  const body = typeof req.json === 'object' && req.json !== null ? (req.json as Record<string, unknown>) : {};
  return { method: req.method, path: req.url, headers: req.headers, body };
}
