/**
 * Plans and what they allow. Spec B names free/starter/growth/enterprise, spec E
 * free/pro/enterprise; one catalogue covers both, and each surface's limits table is read
 * off here (the mapping for plans a spec does not name is in docs/decisions.md).
 */
export const PLANS = ['free', 'starter', 'pro', 'growth', 'enterprise'] as const;
export type Plan = (typeof PLANS)[number];

export const TENANT_STATUSES = ['active', 'trial', 'suspended'] as const;
export type TenantStatus = (typeof TENANT_STATUSES)[number];

export interface PlanLimits {
  monthlyPriceUsd: number;
  conversationsPerMonth: number;
  apiCallsPerMonth: number;
  users: number;
  integrations: number;
  batchSize: number;
  concurrentBatches: number;
  /** Leads created in a calendar month (every channel counts; spec B's create is refused past it). */
  leadsPerMonth: number;
  /** Outbound calls placed in a calendar month (spec B's campaigns). */
  callsPerMonth: number;
}

export const planLimits: Record<Plan, PlanLimits> = {
  free: {
    monthlyPriceUsd: 0,
    conversationsPerMonth: 500,
    apiCallsPerMonth: 10_000,
    users: 3,
    integrations: 2,
    batchSize: 25,
    concurrentBatches: 1,
    leadsPerMonth: 100,
    callsPerMonth: 50,
  },
  starter: {
    monthlyPriceUsd: 49,
    conversationsPerMonth: 5_000,
    apiCallsPerMonth: 25_000,
    users: 10,
    integrations: 5,
    batchSize: 100,
    concurrentBatches: 2,
    leadsPerMonth: 1_000,
    callsPerMonth: 500,
  },
  pro: {
    monthlyPriceUsd: 199,
    conversationsPerMonth: 25_000,
    apiCallsPerMonth: 50_000,
    users: 25,
    integrations: 15,
    batchSize: 500,
    concurrentBatches: 5,
    leadsPerMonth: 5_000,
    callsPerMonth: 2_500,
  },
  growth: {
    monthlyPriceUsd: 499,
    conversationsPerMonth: 50_000,
    apiCallsPerMonth: 100_000,
    users: 50,
    integrations: 25,
    batchSize: 1_000,
    concurrentBatches: 10,
    leadsPerMonth: 10_000,
    callsPerMonth: 5_000,
  },
  enterprise: {
    monthlyPriceUsd: 1_999,
    conversationsPerMonth: 100_000,
    apiCallsPerMonth: 1_000_000,
    users: 1_000,
    integrations: 50,
    batchSize: 5_000,
    concurrentBatches: 20,
    leadsPerMonth: 100_000,
    callsPerMonth: 50_000,
  },
};
