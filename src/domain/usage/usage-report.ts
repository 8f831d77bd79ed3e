import { planLimits, type Plan } from '../tenants/plans.js';

/** Metric names the counters use; one place so producers and the report agree. */
export const METRICS = {
  apiCalls: 'api_calls',
  webhookCalls: 'webhook_calls',
  crmSyncs: 'crm_syncs',
  conversations: 'conversations.total',
  conversationsCompleted: 'conversations.completed',
  conversationsAbandoned: 'conversations.abandoned',
  conversationsEscalated: 'conversations.escalated',
  messagesInbound: 'messages.inbound',
  messagesOutbound: 'messages.outbound',
  messagesByChannel: (channel: string) => `messages.channel.${channel}`,
  aiCostByProvider: (provider: string) => `ai_cost_microusd.provider.${provider}`,
  aiCostByModel: (model: string) => `ai_cost_microusd.model.${model}`,
} as const;

export interface BillingPeriod {
  start: string;
  end: string;
  days_remaining: number;
}

/** The calendar month `period` (`YYYY-MM`) as UTC bounds, and days left counted from `now`. */
export function billingPeriod(period: string, now: Date): BillingPeriod {
  const [y, m] = period.split('-').map(Number) as [number, number];
  const start = new Date(Date.UTC(y, m - 1, 1));
  const end = new Date(Date.UTC(y, m, 1) - 1000);
  const remaining = Math.max(0, Math.ceil((end.getTime() - now.getTime()) / 86_400_000));
  return {
    start: start.toISOString().replace('.000Z', 'Z'),
    end: end.toISOString().replace('.000Z', 'Z'),
    days_remaining: remaining,
  };
}

function byPrefix(counters: Record<string, number>, prefix: string, scale = 1): Record<string, number> {
  return Object.fromEntries(
    Object.entries(counters)
      .filter(([k]) => k.startsWith(prefix))
      .map(([k, v]) => [k.slice(prefix.length), Math.round(v * scale * 100) / 100]),
  );
}

const pct = (used: number, limit: number): number => (limit > 0 ? Math.round((used / limit) * 10000) / 100 : 0);

/** Spec D's usage document, computed from the real counters (zeros where nothing happened). */
export function usageReport(counters: Record<string, number>, plan: Plan, period: string, now: Date) {
  const get = (k: string) => counters[k] ?? 0;
  const limits = planLimits[plan];
  const inbound = get(METRICS.messagesInbound);
  const outbound = get(METRICS.messagesOutbound);
  // Costs are counted in micro-dollars so sums stay exact; the report speaks cents.
  const byProvider = byPrefix(counters, 'ai_cost_microusd.provider.', 1 / 10_000);
  const byModel = byPrefix(counters, 'ai_cost_microusd.model.', 1 / 10_000);
  const totalCents = Math.round(Object.values(byProvider).reduce((a, b) => a + b, 0) * 100) / 100;
  return {
    period,
    usage: {
      conversations: {
        total: get(METRICS.conversations),
        completed: get(METRICS.conversationsCompleted),
        abandoned: get(METRICS.conversationsAbandoned),
        escalated: get(METRICS.conversationsEscalated),
      },
      messages: { total: inbound + outbound, inbound, outbound, by_channel: byPrefix(counters, 'messages.channel.') },
      ai_costs: { total_cents: totalCents, by_provider: byProvider, by_model: byModel },
      integrations: {
        api_calls: get(METRICS.apiCalls),
        webhook_calls: get(METRICS.webhookCalls),
        data_sync_operations: get(METRICS.crmSyncs),
      },
    },
    limits: {
      conversations_limit: limits.conversationsPerMonth,
      conversations_used_percent: pct(get(METRICS.conversations), limits.conversationsPerMonth),
      api_calls_limit: limits.apiCallsPerMonth,
      api_calls_used_percent: pct(get(METRICS.apiCalls), limits.apiCallsPerMonth),
    },
    billing_period: billingPeriod(period, now),
  };
}
