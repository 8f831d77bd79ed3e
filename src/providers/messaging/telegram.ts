import type { SafeHttp } from '../http/safe-fetch.js';
import { withoutTrailingSlashes } from '../../lib/text.js';
import {
  MessagingError,
  kindForStatus,
  obj,
  postJson,
  truncate,
  type QuickReplyOption,
  type SendResult,
} from './messaging.js';

/*
 * Telegram Bot API (core.telegram.org/bots/api#sendmessage): `POST {base}/bot<token>/sendMessage`
 * with `{chat_id, text, reply_markup:{inline_keyboard}}`; answers `{ok:true, result:{message_id}}`
 * or `{ok:false, error_code, description, parameters:{retry_after}}`. `answerCallbackQuery`
 * stops the spinner on a tapped inline button.
 */

export const TELEGRAM_BASE_URL = 'https://api.telegram.org';

export interface TelegramCredentials {
  botToken: string;
  baseUrl?: string;
}

/** One button per row; `callback_data` is limited to 64 bytes. */
export function telegramKeyboard(quickReplies: QuickReplyOption[]): Record<string, unknown> | undefined {
  if (!quickReplies.length) return undefined;
  return {
    inline_keyboard: quickReplies.map((q) => [
      { text: truncate(q.title, 64), callback_data: Buffer.from(q.payload).subarray(0, 64).toString('utf8') },
    ]),
  };
}

export function createTelegramSender(http: SafeHttp) {
  const call = async (
    creds: TelegramCredentials,
    method: string,
    body: Record<string, unknown>,
    signal?: AbortSignal,
  ) => {
    const url = `${withoutTrailingSlashes(creds.baseUrl ?? TELEGRAM_BASE_URL)}/bot${creds.botToken}/${method}`;
    const res = await postJson(http, 'Telegram', url, body, {}, signal);
    const answer = obj(res.body);
    if (res.status >= 200 && res.status < 300 && answer.ok === true) return obj(answer.result);
    const said = typeof answer.description === 'string' ? answer.description : `Telegram answered HTTP ${res.status}`;
    throw new MessagingError(
      'Telegram',
      kindForStatus(typeof answer.error_code === 'number' ? answer.error_code : res.status),
      said,
      res.status,
    );
  };
  return {
    async sendMessage(
      creds: TelegramCredentials,
      chatId: string,
      text: string,
      quickReplies: QuickReplyOption[],
      signal?: AbortSignal,
    ): Promise<SendResult> {
      const keyboard = telegramKeyboard(quickReplies);
      const result = await call(
        creds,
        'sendMessage',
        { chat_id: chatId, text: truncate(text, 4096), ...(keyboard ? { reply_markup: keyboard } : {}) },
        signal,
      );
      return typeof result.message_id === 'number' ? { externalMessageId: `${chatId}:${result.message_id}` } : {};
    },
    async answerCallbackQuery(
      creds: TelegramCredentials,
      callbackQueryId: string,
      signal?: AbortSignal,
    ): Promise<void> {
      await call(creds, 'answerCallbackQuery', { callback_query_id: callbackQueryId }, signal);
    },
  };
}
export type TelegramSender = ReturnType<typeof createTelegramSender>;
