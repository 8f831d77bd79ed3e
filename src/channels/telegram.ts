import {
  arr,
  header,
  rec,
  signedByAny,
  str,
  type Channel,
  type ChannelMessage,
  type Headers,
  type SignatureCheck,
} from './channel.js';
import type { ChannelSettings } from './settings.js';

/*
 * Telegram Bot API webhooks (core.telegram.org/bots/api#setwebhook): the `secret_token` given to
 * setWebhook comes back on every update as `X-Telegram-Bot-Api-Secret-Token`; there is no body
 * signature, so the token is both the proof and (compared against every tenant's) the routing key.
 * An Update carries `message` (text, photo, voice, document, contact) or `callback_query`
 * (an inline-keyboard tap, `data` is the button's payload).
 */

export function verifyTelegramSecret(headers: Headers, secrets: string[]): SignatureCheck {
  const given = header(headers, TELEGRAM_SECRET_HEADER);
  if (!given) return { ok: false, reason: 'missing_signature' };
  return signedByAny(given, secrets, (s) => s);
}

export const TELEGRAM_SECRET_HEADER = 'x-telegram-bot-api-secret-token';

/** The secret token is both the proof and the routing key: the domain looks its fingerprint up. */
export const telegramChannel = {
  id: 'telegram',
  label: 'Telegram',
  recipients: (request) => {
    const given = header(request.headers, TELEGRAM_SECRET_HEADER);
    return given ? [{ id: 'secret token', label: 'no routing key: the secret token decides', keys: [given] }] : [];
  },
  secretsOf: (s) => (s.secret_token ? [s.secret_token] : []),
  verify: (request, secrets) => verifyTelegramSecret(request.headers, secrets),
  normalise: parseTelegram,
} satisfies Channel<ChannelSettings, ChannelMessage | undefined>;

export function parseTelegram(body: unknown, receivedAt: Date): ChannelMessage | undefined {
  const update = rec(body);
  const updateId = str(update.update_id);
  if (!updateId) return undefined;
  if (update.callback_query !== undefined) {
    const q = rec(update.callback_query);
    const from = rec(q.from);
    const user = str(from.id);
    const chat = str(rec(rec(q.message).chat).id) ?? user;
    const data = str(q.data);
    if (!user || !chat || !data) return undefined;
    return {
      channel: 'telegram',
      externalMessageId: updateId,
      platformUserId: user,
      replyTo: chat,
      text: buttonText(rec(q.message), data) ?? data,
      payload: data,
      ...senderName(from),
      receivedAt,
      context: { callback_query_id: str(q.id) },
    };
  }
  const m = rec(update.message ?? update.edited_message);
  const from = rec(m.from);
  const user = str(from.id);
  const chat = str(rec(m.chat).id);
  if (!user || !chat || from.is_bot === true) return undefined;
  const photo = arr(m.photo);
  const media: NonNullable<ChannelMessage['media']> = [];
  if (photo.length) media.push({ kind: 'image', ...(str(m.caption) ? { caption: str(m.caption) } : {}) });
  if (m.voice !== undefined || m.audio !== undefined) media.push({ kind: 'audio', ...mime(rec(m.voice ?? m.audio)) });
  if (m.video !== undefined) media.push({ kind: 'video', ...mime(rec(m.video)) });
  if (m.document !== undefined)
    media.push({
      kind: 'file',
      ...mime(rec(m.document)),
      ...(str(rec(m.document).file_name) ? { caption: str(rec(m.document).file_name) } : {}),
    });
  if (m.location !== undefined)
    media.push({
      kind: 'location',
      caption: `${str(rec(m.location).latitude) ?? ''},${str(rec(m.location).longitude) ?? ''}`,
    });
  const contact = rec(m.contact);
  const phone = str(contact.phone_number);
  const text = str(m.text) ?? str(m.caption) ?? (phone ? phone : media[0] ? `[${media[0].kind}]` : '');
  const date = Number(m.date);
  return {
    channel: 'telegram',
    externalMessageId: updateId,
    platformUserId: user,
    replyTo: chat,
    text,
    ...(media.length ? { media } : {}),
    ...(phone ? { phone: phone.startsWith('+') ? phone : `+${phone}` } : {}),
    ...senderName(from),
    receivedAt: Number.isFinite(date) && date > 0 ? new Date(date * 1000) : receivedAt,
    context: { message_id: str(m.message_id) },
  };
}

function senderName(from: Record<string, unknown>): { senderName?: string } {
  const name = [str(from.first_name), str(from.last_name)].filter(Boolean).join(' ') || str(from.username);
  return name ? { senderName: name } : {};
}

function mime(part: Record<string, unknown>): { mimeType?: string; sizeBytes?: number } {
  return {
    ...(str(part.mime_type) ? { mimeType: str(part.mime_type) } : {}),
    ...(typeof part.file_size === 'number' ? { sizeBytes: part.file_size } : {}),
  };
}

/** The label of the tapped inline button, found in the keyboard of the message it belongs to. */
function buttonText(message: Record<string, unknown>, data: string): string | undefined {
  for (const row of arr(rec(message.reply_markup).inline_keyboard)) {
    for (const b of arr(row)) if (rec(b).callback_data === data) return str(rec(b).text);
  }
  return undefined;
}
