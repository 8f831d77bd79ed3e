import { randomBytes } from 'node:crypto';
import { startFakeServer, type Answer, type FakeRequest } from './fake-server.js';
import { graphError, recordChannelRequest, type RecordedRequest } from './whatsapp.fake.js';

/**
 * The Messenger Send API on 127.0.0.1: `POST /{version}/me/messages?access_token=<page token>` with
 * `{recipient:{id}, messaging_type, message:{text, quick_replies}}`; answers `{recipient_id, message_id}`,
 * or Graph's `{error:{…, code: 190}}` for a bad token and `code: 100` for a malformed message.
 * Meta publishes no OpenAPI document for Messenger, so nothing is checked against one.
 */

export interface MessengerFake {
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

export async function startMessengerFake(opts: { pageAccessToken: string; version?: string }): Promise<MessengerFake> {
  function send(req: FakeRequest): Answer {
    const body = recordChannelRequest(req).body;
    const recipient = (body.recipient as { id?: unknown } | undefined)?.id;
    const message = body.message as { text?: unknown } | undefined;
    if (typeof recipient !== 'string' || typeof message?.text !== 'string' || !body.messaging_type)
      return graphError(400, 100, '(#100) Invalid parameter');
    return { status: 200, body: { recipient_id: recipient, message_id: `m_${randomBytes(12).toString('hex')}` } };
  }

  const server = await startFakeServer<RecordedRequest>({
    routes: [{ method: 'POST', path: `/${opts.version ?? 'v21.0'}/me/messages`, handle: send }],
    error: (status, message) => graphError(status, 2500, message),
    headers: () => ({ 'content-type': 'application/json' }),
    guard: (req) =>
      req.query.access_token === opts.pageAccessToken ? undefined : graphError(400, 190, 'Invalid OAuth access token.'),
    record: recordChannelRequest,
  });
  return { url: server.url, requests: server.requests, close: server.close };
}
