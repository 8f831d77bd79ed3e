import { startFakeServer, type Answer, type FakeRequest } from './fake-server.js';
import { recordChannelRequest, type RecordedRequest } from './whatsapp.fake.js';

/**
 * The Telegram Bot API on 127.0.0.1: `POST /bot<token>/sendMessage` answers `{ok:true, result:{message_id, chat, date, text}}`;
 * `answerCallbackQuery` answers `{ok:true, result:true}`; a wrong token `401 {ok:false, error_code:401, description:"Unauthorized"}`;
 * a missing chat_id or text `400 {ok:false, error_code:400, description:"Bad Request: …"}`.
 */

export interface TelegramFake {
  url: string;
  requests: RecordedRequest[];
  /** Requests the Bot API document refuses. */
  violations: string[];
  close(): Promise<void>;
}

export async function startTelegramFake(opts: { botToken: string }): Promise<TelegramFake> {
  let messageId = 100;

  function sendMessage(req: FakeRequest): Answer {
    const body = recordChannelRequest(req).body;
    if (body.chat_id === undefined) return telegramError(400, 'Bad Request: chat_id is empty');
    if (typeof body.text !== 'string' || !body.text) return telegramError(400, 'Bad Request: message text is empty');
    messageId += 1;
    return {
      status: 200,
      body: {
        ok: true,
        result: {
          message_id: messageId,
          chat: { id: Number(body.chat_id), type: 'private' },
          date: Math.floor(Date.now() / 1000),
          text: body.text,
        },
      },
    };
  }

  const server = await startFakeServer<RecordedRequest>({
    documents: ['telegram-bot-community.json'],
    routes: [
      { method: 'POST', path: /^\/bot[^/]+\/sendMessage$/, handle: sendMessage },
      {
        method: 'POST',
        path: /^\/bot[^/]+\/answerCallbackQuery$/,
        handle: () => ({ status: 200, body: { ok: true, result: true } }),
      },
    ],
    error: (status, message) => telegramError(status, status === 404 ? 'Not Found' : `Bad Request: ${message}`),
    headers: () => ({ 'content-type': 'application/json' }),
    guard: (req) => (req.path.startsWith(`/bot${opts.botToken}/`) ? undefined : telegramError(401, 'Unauthorized')),
    record: recordChannelRequest,
  });
  return { url: server.url, requests: server.requests, violations: server.violations, close: server.close };
}

function telegramError(status: number, description: string): Answer {
  return { status, body: { ok: false, error_code: status, description } };
}
