import type { Db } from '../../store/db.js';
import { createAnalyticsReadModel } from './analytics-read-model.repo.js';
import { createChatUsage } from './chat-usage.js';
import { createChatUsageReadModel } from './chat-usage.repo.js';
import { createConversationAnalytics, type ConversationActivity } from './conversation-analytics.js';
import { createLeadAnalytics } from './lead-analytics.js';
import { createOwnerAnalytics } from './owner-analytics.js';
import { createOwnerPeopleReadModel } from './owner-people.repo.js';
import { createOwnerReadModel } from './owner-read-model.repo.js';
import { createPlatformActivity } from './platform-activity.js';
import { createPlatformActivityReadModel } from './platform-activity.repo.js';
import { createRangeAnalytics } from './range-figures.js';
import { createRangeFiguresReadModel } from './range-figures.repo.js';
import { createRequestAnalytics, type TenantThresholds } from './request-analytics.js';

/**
 * Analytics: neutral figures (counts, sums, distributions, time buckets) over what other concepts
 * store. It reads their tables through one read model and writes nothing; each surface names
 * and shapes the figures in its own dialect.
 */

export interface AnalyticsPorts {
  db: Db;
  clock: { now(): Date };
  tenants: TenantThresholds;
  conversations: { record(tenantId: string, id: string): Promise<ConversationActivity> };
}

export function createAnalyticsModule(ports: AnalyticsPorts) {
  const readModel = createAnalyticsReadModel(ports.db);
  return {
    requestAnalytics: createRequestAnalytics({ readModel, clock: ports.clock, tenants: ports.tenants }),
    leadAnalytics: createLeadAnalytics({ readModel, clock: ports.clock }),
    conversationAnalytics: createConversationAnalytics({ conversations: ports.conversations }),
    ownerAnalytics: createOwnerAnalytics({
      readModel: createOwnerReadModel(ports.db),
      people: createOwnerPeopleReadModel(ports.db),
      clock: ports.clock,
    }),
    rangeAnalytics: createRangeAnalytics({ readModel: createRangeFiguresReadModel(ports.db) }),
    chatUsage: createChatUsage({ readModel: createChatUsageReadModel(ports.db) }),
    platformActivity: createPlatformActivity({
      readModel: createPlatformActivityReadModel(ports.db),
      clock: ports.clock,
    }),
  };
}

export type AnalyticsModule = ReturnType<typeof createAnalyticsModule>;

export {
  conversationFacts,
  resolutionStatus,
  type ConversationActivity,
  type ConversationAnalytics,
  type ConversationFacts,
  type IntentSeen,
  type SentimentReading,
  type TransferFacts,
} from './conversation-analytics.js';
export type { ChatUsage, ChatUsageFigures } from './chat-usage.js';
export type { PlatformActivity } from './platform-activity.js';
export type { RangeAnalytics, RangeCosts, RangeFigures, RangeFunnel, Spread } from './range-figures.js';
export {
  TIME_BUCKETS,
  type LeadAnalytics,
  type LeadBucket,
  type QualificationFacts,
  type TimeBucket,
} from './lead-analytics.js';
export type { RequestAnalytics, RequestCosts, RequestDay, RequestFacts, RequestTimings } from './request-analytics.js';
export type { OwnerActivity, OwnerAnalytics, OwnerDay } from './owner-analytics.js';
export {
  completeness,
  funnel,
  pipeline,
  serviceMix,
  timeToBook,
  type Completeness,
  type DayLoad,
  type Durations,
  type Funnel,
  type ValueTally,
} from './owner-figures.js';
export type { AppointmentSample, ConversationSample } from './owner-read-model.repo.js';
export {
  awaitingFollowup,
  callbackRequests,
  customerFigures,
  messageReturns,
  neighborhoods,
  reviewReasons,
  serviceEconomics,
  type CustomerFigures,
  type MessageReturns,
  type Neighborhood,
  type PeopleActivity,
  type ReviewReason,
  type ServiceEconomics,
} from './owner-customer-figures.js';
