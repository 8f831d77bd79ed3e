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
 * WhatsApp Cloud API (developers.facebook.com/docs/whatsapp/cloud-api/reference/messages):
 * `POST {graph}/{version}/{phone_number_id}/messages` with `Authorization: Bearer <access token>`.
 * Free-form messages (text, interactive reply buttons or a list) are only allowed within 24 hours
 * of the customer's last message; outside it only an approved template may be sent.
 */

export interface WhatsAppCredentials {
  phoneNumberId: string;
  accessToken: string;
  baseUrl?: string;
  apiVersion?: string;
}

export interface WhatsAppTemplate {
  name: string;
  languageCode: string;
  /** Values for the body's {{1}}, {{2}}, … placeholders, in order. */
  bodyParameters: string[];
}

/** Meta error codes that mean "not now": throttling of the account, the number or the pair. */
const RATE_LIMIT_CODES = new Set([4, 80007, 130429, 131048, 131056]);
/** "Re-engagement message": more than 24 hours since the customer last wrote. */
export const OUTSIDE_WINDOW_CODE = 131047;

/** Reply buttons take at most 3 options with 20-character titles; a list at most 10 rows of 24. */
export function whatsappTextBody(text: string, quickReplies: QuickReplyOption[]): Record<string, unknown> {
  if (quickReplies.length >= 1 && quickReplies.length <= 3 && text.length <= 1024) {
    return {
      type: 'interactive',
      interactive: {
        type: 'button',
        body: { text },
        action: {
          buttons: quickReplies.map((q) => ({
            type: 'reply',
            reply: { id: truncate(q.payload, 256), title: truncate(q.title, 20) },
          })),
        },
      },
    };
  }
  if (quickReplies.length > 3 && quickReplies.length <= 10 && text.length <= 4096) {
    return {
      type: 'interactive',
      interactive: {
        type: 'list',
        body: { text: truncate(text, 4096) },
        action: {
          button: 'Choose',
          sections: [
            {
              title: 'Options',
              rows: quickReplies.map((q) => ({ id: truncate(q.payload, 200), title: truncate(q.title, 24) })),
            },
          ],
        },
      },
    };
  }
  return { type: 'text', text: { body: truncate(text, 4096), preview_url: false } };
}

export function whatsappTemplateBody(template: WhatsAppTemplate): Record<string, unknown> {
  return {
    type: 'template',
    template: {
      name: template.name,
      // `deterministic` is the only policy Meta's document allows, and it requires one.
      language: { policy: 'deterministic', code: template.languageCode },
      ...(template.bodyParameters.length
        ? {
            components: [
              {
                type: 'body',
                parameters: template.bodyParameters.map((text) => ({ type: 'text', text: truncate(text, 1024) })),
              },
            ],
          }
        : {}),
    },
  };
}

export function createWhatsAppSender(http: SafeHttp) {
  const send = async (
    creds: WhatsAppCredentials,
    to: string,
    message: Record<string, unknown>,
    signal?: AbortSignal,
  ): Promise<SendResult> => {
    const url = graphUrl(creds, `${encodeURIComponent(creds.phoneNumberId)}/messages`);
    const body = { messaging_product: 'whatsapp', recipient_type: 'individual', to: to.replace(/^\+/, ''), ...message };
    const res = await postJson(http, 'WhatsApp', url, body, { authorization: `Bearer ${creds.accessToken}` }, signal);
    const answer = obj(res.body);
    if (res.status >= 200 && res.status < 300) {
      const id = obj((answer.messages as unknown[] | undefined)?.[0]).id;
      return typeof id === 'string' ? { externalMessageId: id } : {};
    }
    const { code, said } = graphError('WhatsApp', answer, res.status);
    if (code === OUTSIDE_WINDOW_CODE) throw new MessagingError('WhatsApp', 'outside_window', said, res.status);
    if (code !== undefined && RATE_LIMIT_CODES.has(code))
      throw new MessagingError('WhatsApp', 'rate_limited', said, res.status);
    if (code === 190) throw new MessagingError('WhatsApp', 'auth', said, res.status);
    throw new MessagingError('WhatsApp', kindForStatus(res.status), said, res.status);
  };
  return {
    /** Free-form text, as reply buttons or a list when there are quick replies. */
    sendText: (
      creds: WhatsAppCredentials,
      to: string,
      text: string,
      quickReplies: QuickReplyOption[],
      signal?: AbortSignal,
    ) => send(creds, to, whatsappTextBody(text, quickReplies), signal),
    /** An approved template: the only thing allowed outside the 24-hour window. */
    sendTemplate: (creds: WhatsAppCredentials, to: string, template: WhatsAppTemplate, signal?: AbortSignal) =>
      send(creds, to, whatsappTemplateBody(template), signal),
  };
}
export type WhatsAppSender = ReturnType<typeof createWhatsAppSender>;
