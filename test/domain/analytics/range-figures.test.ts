import { describe, expect, it } from 'vitest';
import { median } from '../../../src/domain/analytics/figures.js';
import {
  rangeCosts,
  rangeFunnel,
  responseTimes,
  spreadOf,
  timeToBook,
} from '../../../src/domain/analytics/range-figures.js';
import type { RangeLead } from '../../../src/domain/analytics/range-figures.repo.js';

const lead = (id: string, l: Partial<RangeLead> = {}): RangeLead => ({
  id,
  contactId: null,
  tier: 'COLD',
  wonAt: null,
  createdAt: '2026-11-02T10:00:00.000Z',
  ...l,
});

describe('spreadOf', () => {
  it('answers null, not NaN, for an empty set', () => {
    expect(spreadOf([])).toEqual({ samples: 0, median: null, p90: null });
    expect(median([])).toBeNull();
  });

  it('takes the middle of an odd set, the mean of the two middles of an even one, and the nearest-rank 90th', () => {
    expect(spreadOf([5, 1, 3])).toEqual({ samples: 3, median: 3, p90: 5 });
    expect(spreadOf([4, 1, 3, 2])).toEqual({ samples: 4, median: 2.5, p90: 4 });
    const hundred = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(spreadOf(hundred)).toMatchObject({ median: 50.5, p90: 90 });
  });
});

describe('rangeFunnel', () => {
  it('counts qualified by tier, and requests and bookings by the lead or its person', () => {
    const leads = [
      lead('hot', { tier: 'HOT', contactId: 'ct1' }),
      lead('warm', { tier: 'warm' }),
      lead('won', { wonAt: '2026-11-03T10:00:00.000Z' }),
      lead('cold'),
      lead('cancelled'),
    ];
    const funnel = rangeFunnel(leads, [
      { leadId: null, contactId: 'ct1', status: 'confirmed', createdAt: '2026-11-02T11:00:00.000Z' },
      { leadId: 'warm', contactId: null, status: 'requested', createdAt: '2026-11-02T11:00:00.000Z' },
      { leadId: 'cancelled', contactId: null, status: 'cancelled', createdAt: '2026-11-02T11:00:00.000Z' },
    ]);
    expect(funnel).toEqual({ leads: 5, qualified: 2, appointmentRequested: 4, booked: 2 });
  });
});

describe('timeToBook', () => {
  it('runs from the earlier of the lead and its first conversation to its first booking', () => {
    const leads = [
      lead('a', { contactId: 'ct1', createdAt: '2026-11-02T10:00:00.000Z' }),
      lead('b', { createdAt: '2026-11-02T10:00:00.000Z' }),
      lead('requested only'),
    ];
    const spread = timeToBook(
      leads,
      [
        { leadId: 'a', contactId: null, status: 'scheduled', createdAt: '2026-11-02T12:00:00.000Z' },
        { leadId: 'a', contactId: null, status: 'completed', createdAt: '2026-11-02T11:00:00.000Z' },
        { leadId: 'b', contactId: null, status: 'confirmed', createdAt: '2026-11-02T10:30:00.000Z' },
        { leadId: 'requested only', contactId: null, status: 'requested', createdAt: '2026-11-02T11:00:00.000Z' },
      ],
      [{ leadId: null, contactId: 'ct1', createdAt: '2026-11-02T09:00:00.000Z' }],
    );
    expect(spread).toEqual({ samples: 2, median: 75, p90: 120 });
  });
});

describe('responseTimes', () => {
  it('waits from the first of a run of visitor messages and splits the bot’s replies from people’s', () => {
    const at = (s: number) => new Date(Date.UTC(2026, 10, 2, 10) + s * 1000).toISOString();
    const times = responseTimes([
      { conversationId: 'c1', sender: 'customer', createdAt: at(0) },
      { conversationId: 'c1', sender: 'customer', createdAt: at(5) },
      { conversationId: 'c1', sender: 'bot', createdAt: at(8) },
      { conversationId: 'c1', sender: 'bot', createdAt: at(9) },
      { conversationId: 'c1', sender: 'customer', createdAt: at(20) },
      { conversationId: 'c2', sender: 'agent', createdAt: at(40) },
      { conversationId: 'c2', sender: 'customer', createdAt: at(50) },
      { conversationId: 'c2', sender: 'agent', createdAt: at(110) },
    ]);
    expect(times).toEqual({
      bot: { samples: 1, median: 8, p90: 8 },
      human: { samples: 1, median: 60, p90: 60 },
    });
  });
});

describe('rangeCosts', () => {
  it('divides by the leads, and answers null per lead when there were none', () => {
    expect(rangeCosts(0.003, 0.012, 4)).toEqual({
      aiUsd: 0.003,
      sttUsd: 0.012,
      totalUsd: 0.015,
      aiPerLeadUsd: 0.00075,
      sttPerLeadUsd: 0.003,
      totalPerLeadUsd: 0.00375,
    });
    expect(rangeCosts(0.5, 0, 0)).toMatchObject({ totalUsd: 0.5, aiPerLeadUsd: null, totalPerLeadUsd: null });
  });
});
