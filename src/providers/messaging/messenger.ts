import type { SafeHttp } from '../http/safe-fetch.js';
import {
  MessagingError,
  kindForStatus,
  obj,
  postJson,
  truncate,
  type QuickReplyOption,
  type SendResult,
} from './messaging.js';
import { graphError, graphUrl } from './meta-graph.js';

/*
 * Messenger Send API (developers.facebook.com/docs/messenger-platform/reference/send-api):
 * `POST {graph}/{version}/me/messages?access_token=<page access token>` with
 * `{recipient:{id: PSID}, messaging_type: "RESPONSE", message:{text, quick_replies}}`;
 * answers `{recipient_id, message_id}` or `{error:{message, code, …}}`.
 */

export interface MessengerCredentials {
  pageAccessToken: string;
  baseUrl?: string;
  apiVersion?: string;
}

/** Quick replies: at most 13, titles up to 20 characters, payloads up to 1,000. */
export function messengerMessage(text: string, quickReplies: QuickReplyOption[]): Record<string, unknown> {
  return {
    text: truncate(text, 2000),
    ...(quickReplies.length
      ? {
          quick_replies: quickReplies
            .slice(0, 13)
            .map((q) => ({ content_type: 'text', title: truncate(q.title, 20), payload: truncate(q.payload, 1000) })),
        }
      : {}),
  };
}

export function createMessengerSender(http: SafeHttp) {
  return {
    async sendText(
      creds: MessengerCredentials,
      psid: string,
      text: string,
      quickReplies: QuickReplyOption[],
      signal?: AbortSignal,
    ): Promise<SendResult> {
      const url = graphUrl(creds, `me/messages?access_token=${encodeURIComponent(creds.pageAccessToken)}`);
      const res = await postJson(
        http,
        'Messenger',
        url,
        { recipient: { id: psid }, messaging_type: 'RESPONSE', message: messengerMessage(text, quickReplies) },
        {},
        signal,
      );
      const answer = obj(res.body);
      if (res.status >= 200 && res.status < 300)
        return typeof answer.message_id === 'string' ? { externalMessageId: answer.message_id } : {};
      const { code, subcode, said } = graphError('Messenger', answer, res.status);
      // 10 with subcode 2018278: outside the 24-hour standard messaging window.
      if (code === 10 && subcode === 2018278) throw new MessagingError('Messenger', 'outside_window', said, res.status);
      if (code === 4 || code === 613) throw new MessagingError('Messenger', 'rate_limited', said, res.status);
      if (code === 190) throw new MessagingError('Messenger', 'auth', said, res.status);
      throw new MessagingError('Messenger', kindForStatus(res.status), said, res.status);
    },
  };
}
export type MessengerSender = ReturnType<typeof createMessengerSender>;
