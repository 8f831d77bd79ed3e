import { randomBytes } from 'node:crypto';
import { startFakeServer, type FakeRequest } from './fake-server.js';

/**
 * Exotel's Connect API on 127.0.0.1: `POST /v1/Accounts/{sid}/Calls/connect.json`, form-encoded
 * (`From`, `CallerId`, `Url` required), Basic auth of API key and token; answers 200 with
 * `{Call: {Sid, Status: "in-progress", …}}`, 401 with Exotel's `RestException` on wrong credentials.
 */

export interface ExotelFake {
  url: string;
  requests: { path: string; auth: string | undefined; form: Record<string, string> }[];
  close(): Promise<void>;
}

const restException = (status: number, message: string) => ({
  status,
  body: { RestException: { Status: status, Message: message } },
});

export async function startExotelFake(opts: { sid: string; apiKey: string; apiToken: string }): Promise<ExotelFake> {
  const basic = `Basic ${Buffer.from(`${opts.apiKey}:${opts.apiToken}`).toString('base64')}`;
  const formOf = (req: FakeRequest) => Object.fromEntries(new URLSearchParams(req.raw.toString('utf8')));
  const server = await startFakeServer({
    routes: [
      {
        method: 'POST',
        path: /^\/v1\/Accounts\/([^/]+)\/Calls\/connect\.json$/,
        undocumented: true,
        handle: (req) => {
          const form = formOf(req);
          if (!form.From || !form.CallerId || !form.Url)
            return restException(400, 'From, CallerId and Url are required');
          const sid = randomBytes(16).toString('hex');
          return {
            status: 200,
            body: { Call: { Sid: sid, From: form.From, PhoneNumberSid: form.CallerId, Status: 'in-progress' } },
          };
        },
      },
    ],
    error: (status, message) => restException(status, message),
    guard: (req) =>
      req.headers.authorization === basic && req.path.startsWith(`/v1/Accounts/${opts.sid}/`)
        ? undefined
        : restException(401, 'Authentication is required to view this resource.'),
    record: (req) => ({ path: req.path, auth: req.headers.authorization, form: formOf(req) }),
  });
  return { url: server.url, requests: server.requests, close: server.close };
}
