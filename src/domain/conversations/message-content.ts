import type { Message } from './conversation-record.js';

/** A message's content as answers and exports show it: media and quick replies only when there are any. */
export function messageContent(m: Message) {
  return {
    type: m.contentType,
    text: m.text,
    ...(m.media.length > 0 ? { media: m.media } : {}),
    ...(m.quickReplies.length > 0 ? { quick_replies: m.quickReplies } : {}),
  };
}
