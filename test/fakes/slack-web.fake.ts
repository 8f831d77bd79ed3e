import { startFakeServer, type Answer, type FakeRequest } from './fake-server.js';
import { recordChannelRequest, type RecordedRequest } from './whatsapp.fake.js';

/**
 * Slack's Web API `chat.postMessage` and slash-command `response_url`s on 127.0.0.1.
 * `POST /api/chat.postMessage` with `Authorization: Bearer xoxb-…` answers HTTP 200 `{ok:true, channel, ts}`
 * or `{ok:false, error:"invalid_auth" | "channel_not_found" | "no_text"}`; `POST /commands/…` (a
 * response_url, as `responseUrl(…)` makes) answers `200 ok`.
 */

export interface SlackWebFake {
  url: string;
  requests: RecordedRequest[];
  /** Requests Slack's document refuses. */
  violations: string[];
  /** A response_url on this fake, like https://hooks.slack.com/commands/T…/…/… */
  responseUrl(id: string): string;
  close(): Promise<void>;
}

export async function startSlackWebFake(opts: { botToken: string }): Promise<SlackWebFake> {
  let ts = 1_700_000_000;

  function postMessage(req: FakeRequest): Answer {
    const body = recordChannelRequest(req).body;
    if (req.headers.authorization !== `Bearer ${opts.botToken}`) return slackError('invalid_auth');
    if (typeof body.channel !== 'string' || !body.channel) return slackError('channel_not_found');
    if (typeof body.text !== 'string' && !Array.isArray(body.blocks)) return slackError('no_text');
    ts += 1;
    return {
      status: 200,
      body: { ok: true, channel: body.channel, ts: `${ts}.000100`, message: { text: body.text, type: 'message' } },
    };
  }

  function respond(req: FakeRequest): Answer {
    const text = recordChannelRequest(req).body.text;
    return {
      status: typeof text === 'string' ? 200 : 400,
      body: typeof text === 'string' ? 'ok' : 'no_text',
      headers: { 'content-type': 'text/plain' },
    };
  }

  const server = await startFakeServer<RecordedRequest>({
    documents: ['slack-web.json'],
    routes: [
      { method: 'POST', path: '/api/chat.postMessage', handle: postMessage },
      // A response_url is a per-command hook, not a Web API method; Slack's document does not describe it.
      { method: 'POST', path: /^\/commands\//, undocumented: true, handle: respond },
    ],
    error: (status) => ({ ...slackError('unknown_method'), status }),
    headers: () => ({ 'content-type': 'application/json' }),
    record: recordChannelRequest,
  });
  return {
    url: server.url,
    requests: server.requests,
    violations: server.violations,
    responseUrl: (id) => `${server.url}/commands/T0001/${id}/secret`,
    close: server.close,
  };
}

/** Slack's Web API says what went wrong in a 200 answer. */
function slackError(error: string): Answer {
  return { status: 200, body: { ok: false, error } };
}
