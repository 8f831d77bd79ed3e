import { LOCAL_PROVIDER } from '../../engine/local.js';
import type { TenantAiService } from '../ai/index.js';
import type { ConversationQueryService } from './conversation-query.service.js';
import { localSummary, transcriptOf, type ConversationSummary } from './conversation-summary.js';

export interface ConversationSummaryService {
  /** The local summary; its prose phrased by the tenant's LLM chain when it has one and a model answers. */
  summarise(tenantId: string, conversationId: string): Promise<ConversationSummary>;
}

/** A model sees at most this much of the conversation (the most recent part). */
const TRANSCRIPT_CHARS = 8_000;

export function createConversationSummaryService(deps: {
  conversations: Pick<ConversationQueryService, 'record'>;
  ai: TenantAiService;
}): ConversationSummaryService {
  return {
    async summarise(tenantId, conversationId) {
      const record = await deps.conversations.record(tenantId, conversationId);
      const summary = localSummary(record);
      const { engine, ctx } = await deps.ai.forTenant(tenantId);
      // Without a configured chain the local analysis would add nothing the local summary lacks.
      if ((ctx.chain ?? []).length === 0 || record.messages.length === 0) return summary;
      const analysis = await engine.analyze(
        {
          kind: 'transcript',
          text: transcriptOf(record, TRANSCRIPT_CHARS),
          ...(summary.customer.name ? { name: summary.customer.name } : {}),
          ...(summary.customer.phone ? { phone: summary.customer.phone } : {}),
          ...(summary.customer.email ? { email: summary.customer.email } : {}),
          source: record.conversation.channel,
        },
        ctx,
      );
      if (analysis.usage.provider === LOCAL_PROVIDER || analysis.summary.trim() === '') return summary;
      return {
        ...summary,
        text: analysis.summary.trim(),
        generatedBy: `${analysis.usage.provider}:${analysis.usage.model}`,
      };
    },
  };
}
