import type { Clock } from '../../lib/clock.js';
import { AppError, notFound } from '../errors.js';
import type { LiveBus } from '../live/index.js';
import type { ConversationStore } from './conversation-store.repo.js';
import type { HandoffPort } from './handoff-port.js';

export interface LifecycleChange {
  conversationId: string;
  status: string;
  /** The status it had before. */
  previousStatus: string;
  resolution: string | null;
  closedAt: string | null;
  at: string;
}

export interface ConversationLifecycleService {
  /** Closes an open conversation with a resolution; its open handoffs end and the bot is un-paused. */
  close(tenantId: string, conversationId: string, resolution: string): Promise<LifecycleChange>;
  /** Reopens a closed conversation: active again, the bot answering. */
  reopen(tenantId: string, conversationId: string): Promise<LifecycleChange>;
}

export interface LifecycleDeps {
  store: ConversationStore;
  clock: Clock;
  live: LiveBus;
  handoff: Pick<HandoffPort, 'endOpenIn'>;
}

const OPEN_STATUSES = ['active', 'waiting_agent', 'with_agent'] as const;

const conflict = (id: string, status: string, want: string) =>
  new AppError(
    'CONFLICT',
    `Conversation '${id}' is ${status === 'closed' ? 'already closed' : `not closed (status ${status})`}; only ${want}`,
    { details: { conversation_status: status } },
  );

async function announce(live: LiveBus, tenantId: string, change: LifecycleChange): Promise<void> {
  // Best effort: the change is committed whether or not a listener heard it.
  await live
    .publish({
      type: 'conversation.updated',
      tenantId,
      conversationId: change.conversationId,
      at: change.at,
      data: { status: change.status, previous_status: change.previousStatus, resolution: change.resolution },
    })
    .catch(() => undefined);
}

export function createConversationLifecycleService(deps: LifecycleDeps): ConversationLifecycleService {
  const { store } = deps;

  const find = async (tenantId: string, id: string) => {
    const conversation = await store.conversations.findById(tenantId, id);
    if (!conversation) throw notFound('conversation', id);
    return conversation;
  };

  return {
    async close(tenantId, conversationId, resolution) {
      const conversation = await find(tenantId, conversationId);
      if (conversation.status === 'closed')
        throw conflict(conversationId, conversation.status, 'an open conversation can be closed');
      const at = deps.clock.now().toISOString();
      const changed = await store.transaction(async (tx) => {
        const moved = await tx.conversations.transition(tenantId, conversationId, OPEN_STATUSES, {
          status: 'closed',
          botPaused: false,
          resolution,
          closedAt: at,
          updatedAt: at,
        });
        if (moved) await deps.handoff.endOpenIn(tx, tenantId, conversationId, at);
        return moved;
      });
      if (!changed) throw conflict(conversationId, 'closed', 'an open conversation can be closed');
      const change = {
        conversationId,
        status: 'closed',
        previousStatus: conversation.status,
        resolution,
        closedAt: at,
        at,
      };
      await announce(deps.live, tenantId, change);
      return change;
    },

    async reopen(tenantId, conversationId) {
      const conversation = await find(tenantId, conversationId);
      if (conversation.status !== 'closed')
        throw conflict(conversationId, conversation.status, 'a closed conversation can be reopened');
      const at = deps.clock.now().toISOString();
      const changed = await store.conversations.transition(tenantId, conversationId, ['closed'], {
        status: 'active',
        botPaused: false,
        resolution: null,
        closedAt: null,
        updatedAt: at,
      });
      if (!changed) throw conflict(conversationId, 'active', 'a closed conversation can be reopened');
      const change = {
        conversationId,
        status: 'active',
        previousStatus: 'closed',
        resolution: null,
        closedAt: null,
        at,
      };
      await announce(deps.live, tenantId, change);
      return change;
    },
  };
}
