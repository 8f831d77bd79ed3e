import { describe, expect, it } from 'vitest';
import { neighborhoodOf, reviewReasons } from '../../../src/domain/analytics/owner-customer-figures.js';
import type { ConversationSample } from '../../../src/domain/analytics/owner-read-model.repo.js';

describe('neighborhoodOf', () => {
  it.each([
    ['12 Oak St, Springfield, IL 62704', '62704'],
    ['12 Oak St, Springfield, IL 62704-1234', '62704'],
    ['55555 Long Rd, Austin, TX 78701', '78701'],
    ['9 Elm Rd, Shelbyville', 'shelbyville'],
    ['9 Elm Rd', null],
    ['', null],
    [null, null],
  ])('reads %j as %j', (address, expected) => {
    expect(neighborhoodOf(address)).toBe(expected);
  });

  it('gives up on an address longer than any real one', () => {
    expect(neighborhoodOf(`${'1'.repeat(600)}, Town`)).toBeNull();
  });
});

describe('reviewReasons', () => {
  const conversation = (over: Partial<ConversationSample>): ConversationSample => ({
    id: 'conv_1',
    contactId: null,
    channel: 'sms',
    status: 'active',
    leadId: null,
    summary: null,
    messageCount: 2,
    createdAt: '2026-01-01T00:00:00.000Z',
    lastMessageAt: null,
    stage: 'discovery',
    sentiment: 'neutral',
    collected: { name: null, phone: null },
    qa: { flags: [], outcome: null },
    ...over,
  });

  it('leaves a quiet conversation alone', () => {
    expect(reviewReasons(conversation({}))).toEqual([]);
  });

  it('names every reason a conversation needs a look', () => {
    const c = conversation({
      qa: { flags: ['pricing'], outcome: 'Lost' },
      status: 'with_agent',
      sentiment: 'negative',
    });
    expect(reviewReasons(c)).toEqual(['flagged', 'negative_outcome', 'handoff', 'negative_sentiment']);
  });

  it('does not take a good outcome for a bad one', () => {
    expect(reviewReasons(conversation({ qa: { flags: [], outcome: 'booked' } }))).toEqual([]);
  });
});
