import { arr, rec, str, type Channel, type ChannelMessage, type Headers, type SignatureCheck } from './channel.js';
import type { ChannelSettings } from './settings.js';
import { verifyMetaSignature } from './whatsapp.js';

/*
 * Messenger Platform webhooks (developers.facebook.com/docs/messenger-platform/webhooks): the same
 * `X-Hub-Signature-256` as WhatsApp; `object: "page"`, `entry[]` per Page (`entry.id` is the Page
 * id, which names the tenant), `entry.messaging[]` events: `message` (text, `quick_reply.payload`,
 * `attachments[]`; `is_echo` for the Page's own sends), `postback` (button taps), `delivery`, `read`.
 */

export function verifyMessengerSignature(rawBody: Buffer, headers: Headers, secrets: string[]): SignatureCheck {
  return verifyMetaSignature(rawBody, headers, secrets);
}

export const messengerChannel = {
  id: 'messenger',
  label: 'Messenger',
  recipients: (_request, body) =>
    messengerPageIds(body).map((page) => ({ id: page, label: `page ${page}`, keys: [page] })),
  secretsOf: (s) => (s.app_secret ? [s.app_secret] : []),
  verify: (request, secrets) => verifyMessengerSignature(request.rawBody, request.headers, secrets),
  normalise: parseMessenger,
} satisfies Channel<ChannelSettings, MessengerBatch[]>;

export interface MessengerBatch {
  pageId: string;
  messages: ChannelMessage[];
  /** Delivery and read reports: every message of ours sent to `psid` before `watermark` reached that state. */
  watermarks: { psid: string; status: 'delivered' | 'read'; watermark: Date }[];
}

export function messengerPageIds(body: unknown): string[] {
  return [
    ...new Set(
      arr(rec(body).entry)
        .map((e) => str(rec(e).id))
        .filter((id): id is string => id !== undefined),
    ),
  ];
}

const ATTACHMENT_KINDS: Record<string, 'image' | 'audio' | 'video' | 'file' | 'location'> = {
  image: 'image',
  audio: 'audio',
  video: 'video',
  file: 'file',
  location: 'location',
};

export function parseMessenger(body: unknown, receivedAt: Date): MessengerBatch[] {
  const batches: MessengerBatch[] = [];
  for (const e of arr(rec(body).entry)) {
    const entry = rec(e);
    const pageId = str(entry.id);
    if (!pageId) continue;
    const batch: MessengerBatch = { pageId, messages: [], watermarks: [] };
    for (const ev of arr(entry.messaging)) {
      const event = rec(ev);
      const psid = str(rec(event.sender).id);
      if (!psid) continue;
      const at = typeof event.timestamp === 'number' ? new Date(event.timestamp) : receivedAt;
      const base = {
        channel: 'messenger' as const,
        platformUserId: psid,
        receivedAt: at,
        context: { page_id: pageId },
      };
      if (event.message !== undefined) {
        const message = rec(event.message);
        // The Page's own outbound messages come back as echoes; they are ours, not the customer's.
        if (message.is_echo === true) continue;
        const mid = str(message.mid);
        if (!mid) continue;
        const media = arr(message.attachments).flatMap((a) => {
          const kind = ATTACHMENT_KINDS[str(rec(a).type) ?? ''];
          const url = str(rec(rec(a).payload).url);
          return kind ? [{ kind, ...(url ? { url } : {}) }] : [];
        });
        const payload = str(rec(message.quick_reply).payload);
        batch.messages.push({
          ...base,
          externalMessageId: mid,
          text: str(message.text) ?? (media[0] ? `[${media[0].kind}]` : ''),
          ...(payload ? { payload } : {}),
          ...(media.length ? { media } : {}),
        });
      } else if (event.postback !== undefined) {
        const postback = rec(event.postback);
        // Older postbacks carry no mid; sender and timestamp name the tap uniquely.
        const id = str(postback.mid) ?? `postback:${psid}:${at.getTime()}`;
        const payload = str(postback.payload);
        batch.messages.push({
          ...base,
          externalMessageId: id,
          text: str(postback.title) ?? payload ?? '',
          ...(payload ? { payload } : {}),
        });
      } else if (event.delivery !== undefined || event.read !== undefined) {
        const status = event.read !== undefined ? 'read' : 'delivered';
        const watermark = Number(rec(event.read ?? event.delivery).watermark);
        if (Number.isFinite(watermark)) batch.watermarks.push({ psid, status, watermark: new Date(watermark) });
      }
    }
    batches.push(batch);
  }
  return batches;
}
