import type { ChatUsageReadModel, TimeRange } from './chat-usage.repo.js';

/** A month's chat activity of one tenant, counted from what is stored. */
export interface ChatUsage {
  conversations: { started: number; completed: number; abandoned: number; escalated: number };
  messages: { inbound: number; outbound: number; byChannel: Record<string, number> };
  webhookCalls: number;
}

export interface ChatUsageFigures {
  /** The figures of a calendar month (`YYYY-MM`, UTC). */
  month(tenantId: string, period: string): Promise<ChatUsage>;
}

/** `YYYY-MM` → its first instant and the next month's. */
function monthRange(period: string): TimeRange {
  const [year = 0, month = 1] = period.split('-').map(Number);
  return {
    from: new Date(Date.UTC(year, month - 1, 1)).toISOString(),
    to: new Date(Date.UTC(year, month, 1)).toISOString(),
  };
}

export function createChatUsage(deps: { readModel: ChatUsageReadModel }): ChatUsageFigures {
  const { readModel } = deps;
  return {
    async month(tenantId, period) {
      const range = monthRange(period);
      const [started, closed, escalated, messages, webhookCalls] = await Promise.all([
        readModel.conversationsStarted(tenantId, range),
        readModel.closedByResolution(tenantId, range),
        readModel.conversationsTransferred(tenantId, range),
        readModel.messagesByDirectionAndChannel(tenantId, range),
        readModel.webhookAttempts(tenantId, range),
      ]);
      // A conversation closed as resolved is completed; closed any other way, it was abandoned unresolved.
      const completed = closed.filter((c) => c.resolution === 'resolved').reduce((a, c) => a + c.n, 0);
      const abandoned = closed.filter((c) => c.resolution !== 'resolved').reduce((a, c) => a + c.n, 0);
      const byChannel: Record<string, number> = {};
      let inbound = 0;
      let outbound = 0;
      for (const m of messages) {
        byChannel[m.channel] = (byChannel[m.channel] ?? 0) + m.n;
        if (m.direction === 'inbound') inbound += m.n;
        else outbound += m.n;
      }
      return {
        conversations: { started, completed, abandoned, escalated },
        messages: { inbound, outbound, byChannel },
        webhookCalls,
      };
    },
  };
}
