/** Prefixes of the per-channel and per-vendor counter families, for reports that list them. */
export const METRIC_PREFIXES = {
  messagesByChannel: 'messages.channel.',
  aiCostByProvider: 'ai_cost_microusd.provider.',
  aiCostByModel: 'ai_cost_microusd.model.',
} as const;

/** Metric names the counters use; one place so producers and the reports agree. */
export const METRICS = {
  apiCalls: 'api_calls',
  crmSyncs: 'crm_syncs',
  conversations: 'conversations.total',
  /** New leads, from any channel (a known lead scored again is not new); spec B's monthly quota reads it. */
  leadsCreated: 'leads.created',
  /** Outbound calls placed; spec B's monthly call quota reads it. */
  callsMade: 'calls.made',
  messagesByChannel: (channel: string) => `${METRIC_PREFIXES.messagesByChannel}${channel}`,
  aiCostByProvider: (provider: string) => `${METRIC_PREFIXES.aiCostByProvider}${provider}`,
  aiCostByModel: (model: string) => `${METRIC_PREFIXES.aiCostByModel}${model}`,
} as const;

/** The calendar month (`YYYY-MM`, UTC) a date counts in. */
export function monthOf(date: Date): string {
  return date.toISOString().slice(0, 7);
}
