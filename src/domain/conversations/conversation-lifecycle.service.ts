import type { Clock } from '../../lib/clock.js';
import type { Db } from '../../store/db.js';
import { AppError, notFound } from '../errors.js';
import type { LiveBus } from '../live/live-bus.js';
import * as repo from './conversation-lifecycle.repo.js';

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
  /** Closes an open conversation with a resolution; its open transfers end and the bot is un-paused. */
  close(tenantId: string, conversationId: string, resolution: string): Promise<LifecycleChange>;
  /** Reopens a closed conversation: active again, the bot answering. */
  reopen(tenantId: string, conversationId: string): Promise<LifecycleChange>;
}

const OPEN_STATUSES = ['active', 'waiting_agent', 'with_agent'] as const;

export function createConversationLifecycleService(deps: {
  db: Db;
  clock: Clock;
  live: LiveBus;
}): ConversationLifecycleService {
  const { db } = deps;

  const find = async (tenantId: string, id: string) => {
    const row = await repo.findConversation(db, tenantId, id);
    if (!row) throw notFound('conversation', id);
    return row;
  };

  const announce = async (tenantId: string, change: LifecycleChange) => {
    // Best effort: the change is committed whether or not a listener heard it.
    await deps.live
      .publish({
        type: 'conversation.updated',
        tenantId,
        conversationId: change.conversationId,
        at: change.at,
        data: { status: change.status, previous_status: change.previousStatus, resolution: change.resolution },
      })
      .catch(() => undefined);
  };

  const conflict = (id: string, status: string, want: string) =>
    new AppError(
      'CONFLICT',
      `Conversation '${id}' is ${status === 'closed' ? 'already closed' : `not closed (status ${status})`}; only ${want}`,
      { details: { conversation_status: status } },
    );

  return {
    async close(tenantId, conversationId, resolution) {
      const row = await find(tenantId, conversationId);
      if (row.status === 'closed') throw conflict(conversationId, row.status, 'an open conversation can be closed');
      const at = deps.clock.now().toISOString();
      const changed = await db.transaction().execute(async (trx) => {
        const moved = await repo.transition(trx, tenantId, conversationId, OPEN_STATUSES, {
          status: 'closed',
          bot_paused: 0,
          resolution,
          closed_at: at,
          updated_at: at,
        });
        if (moved) await repo.endOpenTransfers(trx, tenantId, conversationId, at);
        return moved;
      });
      if (!changed) throw conflict(conversationId, 'closed', 'an open conversation can be closed');
      const change = { conversationId, status: 'closed', previousStatus: row.status, resolution, closedAt: at, at };
      await announce(tenantId, change);
      return change;
    },

    async reopen(tenantId, conversationId) {
      const row = await find(tenantId, conversationId);
      if (row.status !== 'closed') throw conflict(conversationId, row.status, 'a closed conversation can be reopened');
      const at = deps.clock.now().toISOString();
      const changed = await repo.transition(db, tenantId, conversationId, ['closed'], {
        status: 'active',
        bot_paused: 0,
        resolution: null,
        closed_at: null,
        updated_at: at,
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
      await announce(tenantId, change);
      return change;
    },
  };
}
