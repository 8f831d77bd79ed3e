import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAnalyticsModule, type AnalyticsModule } from '../../../src/domain/analytics/index.js';
import { createConversationQueryService } from '../../../src/domain/conversations/conversation-query.service.js';
import { createConversationStore } from '../../../src/domain/conversations/index.js';
import { notFound } from '../../../src/domain/errors.js';
import { newId } from '../../../src/lib/ids.js';
import type { Db } from '../../../src/store/db.js';
import { seedConversation, seedFeedback } from '../../helpers/conversations.js';
import { dialects, openTestDatabase, type TestDatabase } from '../../helpers/db.js';
import { insertRequest } from '../../helpers/ingestion-fixtures.js';

const NOW = new Date('2025-06-10T12:00:00.000Z');
const DAY = 86_400_000;
const ago = (ms: number) => new Date(NOW.getTime() - ms).toISOString();
const THRESHOLDS: Record<string, number | undefined> = { tenant_a: 50, tenant_b: undefined };

async function seedTenants(db: Db): Promise<void> {
  for (const id of Object.keys(THRESHOLDS))
    await db
      .insertInto('tenants')
      .values({
        id,
        name: id,
        domain: null,
        status: 'active',
        plan: 'free',
        timezone: 'UTC',
        config: '{}',
        config_version: 1,
        created_at: NOW.toISOString(),
        updated_at: NOW.toISOString(),
      })
      .execute();
}

async function insertLead(db: Db, tenantId: string, lead: { tier: string; score: number; at: string; won?: boolean }) {
  await db
    .insertInto('leads')
    .values({
      id: newId('lead'),
      tenant_id: tenantId,
      email: null,
      name: null,
      company: null,
      phone: null,
      message: null,
      source: 'api',
      metadata: '{}',
      status: 'qualified',
      score: lead.score,
      tier: lead.tier,
      intent: null,
      recommended_action: null,
      analysis: null,
      enrichment: null,
      processing_time_ms: 100,
      qualified_at: lead.at,
      won_at: lead.won ? lead.at : null,
      created_at: lead.at,
      updated_at: lead.at,
    })
    .execute();
}

describe.each(dialects)('the analytics module on $label', ({ dialect, skip }) => {
  let test: TestDatabase;
  let analytics: AnalyticsModule;
  const db = () => test.database.db;

  beforeAll(async () => {
    if (skip) return;
    test = await openTestDatabase(dialect);
    await seedTenants(db());
    analytics = createAnalyticsModule({
      db: db(),
      clock: { now: () => NOW },
      tenants: {
        get: (id) =>
          id in THRESHOLDS
            ? Promise.resolve({ config: { notification_config: { high_value_threshold: THRESHOLDS[id] } } })
            : Promise.reject(notFound('tenant', id)),
      },
      conversations: createConversationQueryService({ store: createConversationStore(db()) }),
    });
  });
  afterAll(async () => {
    if (!skip) await test.drop();
  });

  describe.skipIf(skip)('request figures', () => {
    beforeAll(async () => {
      const crm = [{ status: 'success' }];
      await insertRequest(db(), 'tenant_a', { created_at: ago(2 * DAY), lead_score: 90, processing_time_ms: 1000 });
      await insertRequest(db(), 'tenant_a', {
        created_at: ago(2 * DAY - 1),
        lead_score: 45,
        project_type: null,
        processing_time_ms: 3000,
        ack_ms: 60,
        steps: [{ step: 'ai_analysis', cost_usd: 0.002 }],
        crm: [{ status: 'failed' }],
      });
      await insertRequest(db(), 'tenant_a', { created_at: ago(DAY), status: 'failed', lead_score: null, crm });
      await insertRequest(db(), 'tenant_a', { created_at: ago(40 * DAY), lead_score: 10 });
    });

    it('counts, rates, bands and timings the requests created in the window', async () => {
      const facts = await analytics.requestAnalytics.requests('tenant_a', 30, { costs: true });
      expect(facts.totals).toEqual({
        requests: 3,
        completed: 2,
        failed: 1,
        completionRate: 0.6667,
        averageLeadScore: 67.5,
        highValue: 1,
        crmSyncSuccessRate: 0.6667,
      });
      expect(facts.days.map((d) => [d.day, d.requests, d.completionRate, d.averageProcessingMs])).toEqual([
        ['2025-06-08', 2, 1, 2000],
        ['2025-06-09', 1, 0, null],
      ]);
      expect(facts.scoreBands).toEqual({ '0-20': 0, '21-40': 0, '41-60': 1, '61-80': 0, '81-100': 1 });
      expect(facts.projectTypes).toEqual({ kitchen_remodel: 2, other: 1 });
      expect(facts.timings).toEqual({
        averageProcessingMs: 2000,
        p50ProcessingMs: 1000,
        p95ProcessingMs: 3000,
        averageAckMs: 47,
      });
      expect(facts.costs).toMatchObject({ total: 0.002, perRequest: 0.0007 });
      expect(facts.costs?.byStep.ai_analysis).toBe(0.002);
    });

    it('reads the costs only when asked, and widens with the window', async () => {
      const facts = await analytics.requestAnalytics.requests('tenant_a', 90, { costs: false });
      expect(facts.costs).toBeUndefined();
      expect(facts.totals.requests).toBe(4);
    });

    it('keeps one tenant’s requests out of another’s figures, and refuses an unknown tenant', async () => {
      const facts = await analytics.requestAnalytics.requests('tenant_b', 365, { costs: true });
      expect(facts.totals).toMatchObject({ requests: 0, completionRate: null, crmSyncSuccessRate: null });
      expect(facts.days).toEqual([]);
      expect(facts.costs).toEqual({ total: 0, perRequest: null, byStep: {} });
      await expect(analytics.requestAnalytics.requests('tenant_x', 30, { costs: false })).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
    });
  });

  describe.skipIf(skip)('qualification figures', () => {
    beforeAll(async () => {
      await insertLead(db(), 'tenant_a', { tier: 'HOT', score: 90, at: '2025-06-09T08:15:00.000Z', won: true });
      await insertLead(db(), 'tenant_a', { tier: 'COLD', score: 20, at: '2025-06-09T09:40:00.000Z' });
      await insertLead(db(), 'tenant_a', { tier: 'WARM', score: 61, at: '2025-06-02T10:00:00.000Z' });
      await insertLead(db(), 'tenant_a', { tier: 'HOT', score: 80, at: '2025-01-15T10:00:00.000Z' });
    });

    it('totals tiers, averages and conversion, bucketed by the hour', async () => {
      const facts = await analytics.leadAnalytics.qualifications('tenant_a', 7, 'hour');
      expect(facts).toMatchObject({ total: 2, byTier: { HOT: 1, WARM: 0, COLD: 1 }, averageScore: 55 });
      expect(facts.conversionRate).toBe(0.5);
      expect(facts.averageProcessingMs).toBe(100);
      expect(facts.buckets).toEqual([
        { start: '2025-06-09T08:00:00Z', leads: 1, hot: 1, warm: 0, cold: 0 },
        { start: '2025-06-09T09:00:00Z', leads: 1, hot: 0, warm: 0, cold: 1 },
      ]);
    });

    it('buckets by ISO week (from Monday) and by month over all time', async () => {
      const weeks = await analytics.leadAnalytics.qualifications('tenant_a', 30, 'week');
      expect(weeks.buckets.map((b) => [b.start, b.leads])).toEqual([
        ['2025-06-02', 1],
        ['2025-06-09', 2],
      ]);
      const months = await analytics.leadAnalytics.qualifications('tenant_a', null, 'month');
      expect(months.buckets.map((b) => [b.start, b.leads])).toEqual([
        ['2025-01', 1],
        ['2025-06', 3],
      ]);
    });

    it('answers zeros for a tenant whose leads are not there', async () => {
      const facts = await analytics.leadAnalytics.qualifications('tenant_b', null, 'day');
      expect(facts).toEqual({
        total: 0,
        byTier: { HOT: 0, WARM: 0, COLD: 0 },
        averageScore: 0,
        averageProcessingMs: 0,
        conversionRate: 0,
        buckets: [],
      });
    });
  });

  describe.skipIf(skip)('conversation figures', () => {
    it('counts messages, response times, intents, sentiment and feedback of one conversation', async () => {
      const id = await seedConversation(db(), 'tenant_a', {
        createdAt: '2025-06-01T10:00:00.000Z',
        messages: [
          {
            sender: 'customer',
            text: 'This is terrible, nothing works',
            at: '2025-06-01T10:00:00.000Z',
            intent: 'help',
          },
          { sender: 'bot', text: 'Sorry! Let me help.', at: '2025-06-01T10:00:04.000Z' },
          { sender: 'customer', text: 'Great, thank you so much!', at: '2025-06-01T10:01:00.000Z', intent: 'help' },
          { sender: 'agent', text: 'Glad to help', at: '2025-06-01T10:01:10.000Z' },
        ],
      });
      await seedFeedback(db(), 'tenant_a', id, { rating: 4, helpful: true, comment: 'fast' });
      await seedFeedback(db(), 'tenant_a', id, { rating: 5, helpful: false });
      const facts = await analytics.conversationAnalytics.conversation('tenant_a', id);
      expect(facts.messages).toEqual({
        total: 4,
        bySender: { customer: 2, bot: 1, agent: 1, system: 0 },
        byDirection: { inbound: 2, outbound: 2 },
        failed: 0,
      });
      expect(facts.responseTimes).toEqual({ firstSeconds: 4, averageSeconds: 7 });
      expect(facts.intents).toEqual([
        { intent: 'help', count: 2, firstSeenAt: '2025-06-01T10:00:00.000Z', lastSeenAt: '2025-06-01T10:01:00.000Z' },
      ]);
      expect(facts.sentiment.trend).toBe('improving');
      expect(facts.sentiment.timeline.map((t) => t.sentiment)).toEqual(['negative', 'positive']);
      expect(facts.resolution.status).toBe('in_progress');
      expect(facts.escalations).toEqual({ count: 0, open: false, transfers: [] });
      expect(facts.feedback).toMatchObject({ count: 2, averageRating: 4.5, helpful: 1, notHelpful: 1 });
      expect(facts.feedback.comments).toEqual([
        { messageId: null, comment: 'fast', rating: 4, at: '2025-06-01T11:00:00.000Z' },
      ]);
    });

    it('does not show one tenant’s conversation to another', async () => {
      const id = await seedConversation(db(), 'tenant_a', { messages: [{ sender: 'customer', text: 'hi' }] });
      await expect(analytics.conversationAnalytics.conversation('tenant_b', id)).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
    });
  });
});
