import { truncate, type QuickReplyOption } from './messaging.js';

/*
 * Microsoft Teams outgoing webhooks answer in the HTTP response: a Bot Framework message activity
 * (`{type:"message", text}`), optionally with a card. Quick replies become a hero card whose
 * buttons send their payload back as a message (`imBack`), the one action outgoing webhooks honour.
 */

export function teamsReplyActivity(text: string, quickReplies: QuickReplyOption[]): Record<string, unknown> {
  return {
    type: 'message',
    text: truncate(text, 28_000),
    ...(quickReplies.length
      ? {
          attachments: [
            {
              contentType: 'application/vnd.microsoft.card.hero',
              content: {
                buttons: quickReplies
                  .slice(0, 6)
                  .map((q) => ({ type: 'imBack', title: truncate(q.title, 50), value: q.payload })),
              },
            },
          ],
        }
      : {}),
  };
}
