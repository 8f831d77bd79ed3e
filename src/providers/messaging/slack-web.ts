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
 * Slack Web API `chat.postMessage` (api.slack.com/methods/chat.postMessage): `POST {base}/api/chat.postMessage`
 * with `Authorization: Bearer xoxb-…`, JSON `{channel, text, blocks, thread_ts}`; Slack answers
 * HTTP 200 `{ok:true, ts}` or `{ok:false, error}` (429 with Retry-After when throttled).
 * A slash command's `response_url` takes the same message JSON plus `response_type` for 30 minutes.
 */

export const SLACK_API_BASE_URL = 'https://slack.com';

const AUTH_ERRORS = new Set([
  'invalid_auth',
  'not_authed',
  'account_inactive',
  'token_revoked',
  'token_expired',
  'missing_scope',
  'no_permission',
]);
const TRANSIENT_ERRORS = new Set([
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
  'ratelimited',
]);

/** Block Kit: the text, then the quick replies as buttons (at most 25, 75-character labels). */
export function slackBlocks(text: string, quickReplies: QuickReplyOption[]): unknown[] {
  return [
    { type: 'section', text: { type: 'mrkdwn', text: truncate(escapeMrkdwn(text) || ' ', 3000) } },
    ...(quickReplies.length
      ? [
          {
            type: 'actions',
            elements: quickReplies.slice(0, 25).map((q, i) => ({
              type: 'button',
              action_id: `quick_reply_${i}`,
              text: { type: 'plain_text', text: truncate(q.title, 75) },
              value: truncate(q.payload, 2000),
            })),
          },
        ]
      : []),
  ];
}

/** A slash command's answer in the shape of spec D's example: text, and the quick replies as attachment buttons. */
export function slackCommandReply(
  text: string,
  quickReplies: QuickReplyOption[],
  responseType: 'in_channel' | 'ephemeral' = 'in_channel',
): Record<string, unknown> {
  return {
    response_type: responseType,
    text: truncate(text, 3000),
    ...(quickReplies.length
      ? {
          attachments: [
            {
              text: 'What would you like to do?',
              fallback: quickReplies.map((q) => q.title).join(' / '),
              callback_id: 'quick_replies',
              color: 'good',
              actions: quickReplies.slice(0, 5).map((q, i) => ({
                name: `quick_reply_${i}`,
                text: truncate(q.title, 30),
                type: 'button',
                value: truncate(q.payload, 2000),
              })),
            },
          ],
        }
      : {}),
  };
}

export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export interface SlackCredentials {
  botToken: string;
  baseUrl?: string;
}

export function createSlackWebSender(http: SafeHttp) {
  return {
    async postMessage(
      creds: SlackCredentials,
      channel: string,
      text: string,
      quickReplies: QuickReplyOption[],
      threadTs?: string,
      signal?: AbortSignal,
    ): Promise<SendResult> {
      const url = `${withoutTrailingSlashes(creds.baseUrl ?? SLACK_API_BASE_URL)}/api/chat.postMessage`;
      const body = {
        channel,
        text: truncate(text, 4000),
        blocks: slackBlocks(text, quickReplies),
        ...(threadTs ? { thread_ts: threadTs } : {}),
      };
      const res = await postJson(http, 'Slack', url, body, { authorization: `Bearer ${creds.botToken}` }, signal);
      if (res.status === 429) throw new MessagingError('Slack', 'rate_limited', 'ratelimited', 429);
      if (res.status < 200 || res.status >= 300)
        throw new MessagingError('Slack', kindForStatus(res.status), `Slack answered HTTP ${res.status}`, res.status);
      const answer = obj(res.body);
      if (answer.ok === true)
        return typeof answer.ts === 'string' ? { externalMessageId: `${channel}:${answer.ts}` } : {};
      const error = typeof answer.error === 'string' ? answer.error : 'unknown_error';
      if (AUTH_ERRORS.has(error)) throw new MessagingError('Slack', 'auth', error, res.status);
      if (TRANSIENT_ERRORS.has(error))
        throw new MessagingError('Slack', error === 'ratelimited' ? 'rate_limited' : 'unavailable', error, res.status);
      throw new MessagingError('Slack', 'rejected', error, res.status);
    },
    /** Posts a slash command's (late) answer to its `response_url`. */
    async respond(
      responseUrl: string,
      text: string,
      quickReplies: QuickReplyOption[],
      signal?: AbortSignal,
    ): Promise<SendResult> {
      // A new message, never a replacement of the one whose button was tapped.
      const res = await postJson(
        http,
        'Slack',
        responseUrl,
        { ...slackCommandReply(text, quickReplies), replace_original: false },
        {},
        signal,
      );
      if (res.status >= 200 && res.status < 300) return {};
      const said = res.text.trim().slice(0, 200) || `HTTP ${res.status}`;
      // 404 expired_url / used_url: the half hour or the five uses are over; trying again cannot help.
      throw new MessagingError('Slack', kindForStatus(res.status), `response_url: ${said}`, res.status);
    },
  };
}
export type SlackWebSender = ReturnType<typeof createSlackWebSender>;
