import type { QuickReplyOption } from '../../providers/messaging/messaging.js';
import type { Clock } from '../../lib/clock.js';
import type { ConversationUpkeepService } from '../conversations/index.js';
import type { DeliveriesRepo } from './messaging.repo.js';

/**
 * A webhook request that may still answer in its own HTTP response (a Slack slash command, a
 * Teams outgoing webhook). Deliveries to its sender made while it is open wait for its deadline,
 * so the request can claim them and answer inline; unclaimed ones go out through the platform.
 */
export interface InlineWindow {
  readonly key: string;
  readonly deadline: number;
  readonly context: Record<string, unknown>;
  readonly deliveryIds: string[];
}

export interface InlineAnswer {
  text: string;
  quickReplies: QuickReplyOption[];
}

/** This process's open windows; a window lives only as long as the request that opened it. */
export function createInlineWindows(deps: {
  clock: Clock;
  deliveries: DeliveriesRepo;
  messages: Pick<ConversationUpkeepService, 'setMessageStatus'>;
}) {
  const windows = new Map<string, InlineWindow>();
  const keyOf = (tenantId: string, channel: string, to: string) => `${tenantId}:${channel}:${to}`;
  const forget = (window: InlineWindow) => {
    if (windows.get(window.key) === window) windows.delete(window.key);
  };
  return {
    /** The window open for this recipient, if any (past its deadline too: it still lends its context). */
    find: (tenantId: string, channel: string, to: string) => windows.get(keyOf(tenantId, channel, to)),

    open(tenantId: string, channel: string, to: string, budgetMs: number, context: Record<string, unknown>) {
      const window: InlineWindow = {
        key: keyOf(tenantId, channel, to),
        deadline: Date.now() + budgetMs,
        context,
        deliveryIds: [],
      };
      windows.set(window.key, window);
      return window;
    },

    drop: forget,

    /** Closes the window and claims its deliveries not yet sent: what the webhook answers with. */
    async close(tenantId: string, window: InlineWindow): Promise<InlineAnswer[]> {
      forget(window);
      const answers: InlineAnswer[] = [];
      for (const id of window.deliveryIds) {
        const delivery = await deps.deliveries.findById(tenantId, id);
        if (!delivery) continue;
        const at = deps.clock.now().toISOString();
        const claimed = await deps.deliveries.transition(tenantId, id, ['pending'], {
          status: 'inline',
          updatedAt: at,
          sentAt: at,
          kind: 'text',
        });
        if (!claimed) continue;
        await deps.messages.setMessageStatus(tenantId, delivery.messageId, { status: 'sent', error: null });
        answers.push({ text: delivery.text, quickReplies: delivery.quickReplies });
      }
      return answers;
    },
  };
}

export type InlineWindows = ReturnType<typeof createInlineWindows>;
