import { randomBytes } from 'node:crypto';
import { startFakeServer, type Answer, type FakeRequest, type Reply, type RequestMatch } from './fake-server.js';
import type { RecordedRequest } from './whatsapp.fake.js';

/**
 * Twilio's REST API on 127.0.0.1: `POST /2010-04-01/Accounts/{AccountSid}/Messages.json` with a
 * form (`To`, `From`, `Body`) and Basic auth (account SID : auth token) answers 201 with the
 * message resource (`sid: SM…`, `status: queued`); wrong credentials answer 401 with Twilio's error
 * body (`code 20003`), a missing `To` or `Body` 400 (`code 21604` / `21602`). Requests are checked
 * against twilio-api-v2010-messages.json; `POST …/Calls.json` (`To`, `From`, `Url`) answers 201 with
 * the call resource (`sid: CA…`, `status: queued`), checked against twilio-api-v2010-calls.json.
 */

export interface TwilioFake {
  url: string;
  /** Each request with its form fields as `body`. */
  requests: RecordedRequest[];
  violations: string[];
  replyNext(reply: Reply, match?: RequestMatch): void;
  close(): Promise<void>;
}

function recordForm(req: FakeRequest): RecordedRequest {
  return {
    method: req.method,
    path: req.url,
    headers: req.headers,
    body: Object.fromEntries(new URLSearchParams(req.raw.toString('utf8'))),
  };
}

export function twilioError(status: number, code: number, message: string): Answer {
  return { status, body: { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status } };
}

export async function startTwilioFake(opts: { accountSid: string; authToken: string }): Promise<TwilioFake> {
  const basic = `Basic ${Buffer.from(`${opts.accountSid}:${opts.authToken}`).toString('base64')}`;

  function createMessage(req: FakeRequest, params: string[]): Answer {
    const form = recordForm(req).body as Record<string, string>;
    if (!form.To) return twilioError(400, 21604, "A 'To' phone number is required.");
    if (!form.Body) return twilioError(400, 21602, 'Message body is required.');
    const now = new Date().toUTCString();
    return {
      status: 201,
      body: {
        sid: `SM${randomBytes(16).toString('hex')}`,
        account_sid: params[0],
        to: form.To,
        from: form.From ?? null,
        body: form.Body,
        status: 'queued',
        direction: 'outbound-api',
        num_segments: '1',
        date_created: now,
        date_updated: now,
        api_version: '2010-04-01',
      },
    };
  }

  function createCall(req: FakeRequest, params: string[]): Answer {
    const form = recordForm(req).body as Record<string, string>;
    if (!form.To) return twilioError(400, 21201, "A 'To' phone number is required.");
    if (!form.Url && !form.Twiml) return twilioError(400, 21205, 'Url parameter is required.');
    const now = new Date().toUTCString();
    return {
      status: 201,
      body: {
        sid: `CA${randomBytes(16).toString('hex')}`,
        account_sid: params[0],
        to: form.To,
        from: form.From ?? null,
        status: 'queued',
        direction: 'outbound-api',
        date_created: now,
        date_updated: now,
        api_version: '2010-04-01',
      },
    };
  }

  const server = await startFakeServer<RecordedRequest>({
    documents: ['twilio-api-v2010-messages.json', 'twilio-api-v2010-calls.json'],
    routes: [
      { method: 'POST', path: /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/, handle: createMessage },
      { method: 'POST', path: /^\/2010-04-01\/Accounts\/([^/]+)\/Calls\.json$/, handle: createCall },
    ],
    error: (status, message) => twilioError(status, status === 404 ? 20404 : 21000, message),
    headers: () => ({ 'content-type': 'application/json' }),
    guard: (req) =>
      req.headers.authorization === basic && req.path.startsWith(`/2010-04-01/Accounts/${opts.accountSid}/`)
        ? undefined
        : twilioError(401, 20003, 'Authenticate'),
    record: recordForm,
  });
  return {
    url: server.url,
    requests: server.requests,
    violations: server.violations,
    replyNext: server.replyNext,
    close: server.close,
  };
}
