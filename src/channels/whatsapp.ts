import { hmacSha256 } from '../lib/crypto.js';
import {
  arr,
  fromEpochSeconds,
  header,
  rec,
  signedByAny,
  str,
  type Channel,
  type ChannelMessage,
  type Headers,
  type SignatureCheck,
  type StatusUpdate,
} from './channel.js';
import type { ChannelSettings } from './settings.js';

/*
 * WhatsApp Cloud API webhooks (developers.facebook.com/docs/whatsapp/cloud-api/webhooks):
 * `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body, keyed by the app secret>`;
 * `entry[].changes[].value` carries `metadata.phone_number_id` (which number — and so which
 * tenant — it is for), `contacts[]`, `messages[]` and `statuses[]`.
 */

/** Meta's signature, shared by WhatsApp and Messenger. Any of `secrets` may match (app secret rotation). */
export function verifyMetaSignature(rawBody: Buffer, headers: Headers, secrets: string[]): SignatureCheck {
  const given = header(headers, 'x-hub-signature-256');
  if (!given) return { ok: false, reason: 'missing_signature' };
  if (!/^sha256=[0-9a-fA-F]{64}$/.test(given)) return { ok: false, reason: 'malformed_signature' };
  const hex = given.slice('sha256='.length).toLowerCase();
  return signedByAny(hex, secrets, (s) => hmacSha256(s, rawBody).toString('hex'));
}

export function signMeta(secret: string, rawBody: Buffer | string): string {
  return `sha256=${hmacSha256(secret, rawBody).toString('hex')}`;
}

/** Keys that name a WhatsApp tenant: a business number, or (when no number is set) its business account. */
export const whatsappPhoneKey = (phoneNumberId: string) => `phone:${phoneNumberId}`;
export const whatsappAccountKey = (businessAccountId: string) => `waba:${businessAccountId}`;

export const whatsappChannel = {
  id: 'whatsapp',
  label: 'WhatsApp',
  recipients: (_request, body) =>
    whatsappRecipients(body).map(({ phoneNumberId, businessAccountId }) => ({
      id: phoneNumberId,
      label: `phone_number_id ${phoneNumberId}`,
      keys: [
        whatsappPhoneKey(phoneNumberId),
        ...(businessAccountId !== undefined ? [whatsappAccountKey(businessAccountId)] : []),
      ],
    })),
  secretsOf: (s) => (s.app_secret ? [s.app_secret] : []),
  verify: (request, secrets) => verifyMetaSignature(request.rawBody, request.headers, secrets),
  normalise: parseWhatsApp,
} satisfies Channel<ChannelSettings, WhatsAppBatch[]>;

/** One `changes[].value` of the payload: everything for one business phone number. */
export interface WhatsAppBatch {
  phoneNumberId: string;
  messages: ChannelMessage[];
  statuses: StatusUpdate[];
}

const MEDIA_KINDS = { image: 'image', audio: 'audio', video: 'video', document: 'file', sticker: 'image' } as const;

/** The business numbers (and their WhatsApp Business Account, `entry[].id`) a payload is addressed to, read before anything is trusted (tenant routing). */
export function whatsappRecipients(body: unknown): { phoneNumberId: string; businessAccountId?: string }[] {
  const found = new Map<string, { phoneNumberId: string; businessAccountId?: string }>();
  for (const entry of arr(rec(body).entry)) {
    const waba = str(rec(entry).id);
    for (const change of arr(rec(entry).changes)) {
      const id = str(rec(rec(rec(change).value).metadata).phone_number_id);
      if (id && !found.has(id)) found.set(id, { phoneNumberId: id, ...(waba ? { businessAccountId: waba } : {}) });
    }
  }
  return [...found.values()];
}

export function parseWhatsApp(body: unknown, receivedAt: Date): WhatsAppBatch[] {
  const batches: WhatsAppBatch[] = [];
  for (const entry of arr(rec(body).entry)) {
    for (const change of arr(rec(entry).changes)) {
      const value = rec(rec(change).value);
      const phoneNumberId = str(rec(value.metadata).phone_number_id);
      if (!phoneNumberId) continue;
      const names = new Map<string, string>();
      for (const c of arr(value.contacts)) {
        const waId = str(rec(c).wa_id);
        const name = str(rec(rec(c).profile).name);
        if (waId && name) names.set(waId, name);
      }
      const messages = arr(value.messages)
        .map((m) => whatsappMessage(rec(m), phoneNumberId, names, receivedAt))
        .filter((m): m is ChannelMessage => m !== undefined);
      const statuses = arr(value.statuses)
        .map((s) => whatsappStatus(rec(s), receivedAt))
        .filter((s): s is StatusUpdate => s !== undefined);
      batches.push({ phoneNumberId, messages, statuses });
    }
  }
  return batches;
}

function whatsappMessage(
  m: Record<string, unknown>,
  phoneNumberId: string,
  names: Map<string, string>,
  receivedAt: Date,
): ChannelMessage | undefined {
  const id = str(m.id);
  const from = str(m.from);
  const type = str(m.type);
  if (!id || !from || !type) return undefined;
  let text = '';
  let payload: string | undefined;
  let media: ChannelMessage['media'];
  const mediaIds: string[] = [];
  switch (type) {
    case 'text':
      text = str(rec(m.text).body) ?? '';
      break;
    case 'interactive': {
      const interactive = rec(m.interactive);
      const reply = rec(interactive.type === 'list_reply' ? interactive.list_reply : interactive.button_reply);
      text = str(reply.title) ?? '';
      payload = str(reply.id);
      break;
    }
    case 'button': {
      // A quick-reply button of a template message.
      const button = rec(m.button);
      text = str(button.text) ?? '';
      payload = str(button.payload);
      break;
    }
    case 'location': {
      const loc = rec(m.location);
      const where = [str(loc.name), str(loc.address)].filter(Boolean).join(', ');
      text = where || `${str(loc.latitude) ?? '?'},${str(loc.longitude) ?? '?'}`;
      media = [{ kind: 'location', caption: `${str(loc.latitude) ?? ''},${str(loc.longitude) ?? ''}` }];
      break;
    }
    default: {
      const kind = MEDIA_KINDS[type as keyof typeof MEDIA_KINDS];
      if (!kind) {
        text = `[${type}]`;
        break;
      }
      const part = rec(m[type]);
      const caption = str(part.caption) ?? str(part.filename);
      const mediaId = str(part.id);
      if (mediaId) mediaIds.push(mediaId);
      // Cloud API media are fetched by id with the tenant's token (GET /{media-id}); no public URL exists.
      media = [
        { kind, ...(str(part.mime_type) ? { mimeType: str(part.mime_type) } : {}), ...(caption ? { caption } : {}) },
      ];
      text = str(part.caption) ?? `[${kind}]`;
    }
  }
  const name = names.get(from);
  return {
    channel: 'whatsapp',
    externalMessageId: id,
    platformUserId: from,
    text,
    ...(payload ? { payload } : {}),
    ...(media ? { media } : {}),
    ...(name ? { senderName: name } : {}),
    phone: `+${from.replace(/^\+/, '')}`,
    receivedAt: fromEpochSeconds(m.timestamp, receivedAt),
    context: { phone_number_id: phoneNumberId, ...(mediaIds.length ? { media_ids: mediaIds } : {}) },
  };
}

function whatsappStatus(s: Record<string, unknown>, receivedAt: Date): StatusUpdate | undefined {
  const id = str(s.id);
  const status = str(s.status);
  if (!id || (status !== 'sent' && status !== 'delivered' && status !== 'read' && status !== 'failed'))
    return undefined;
  const errors = arr(s.errors).map((e) => {
    const err = rec(e);
    return [str(err.code), str(err.title), str(rec(err.error_data).details)].filter(Boolean).join(' ');
  });
  return {
    externalMessageId: id,
    status,
    at: fromEpochSeconds(s.timestamp, receivedAt),
    ...(errors.length ? { error: errors.join('; ') } : {}),
  };
}
