import { describe, expect, it } from 'vitest';
import type { Lead } from '../../../src/domain/leads/index.js';
import { leadCrmState, leadTimeline } from '../../../src/domain/leads/lead-timeline.js';
import type { LeadTrail } from '../../../src/domain/leads/lead-timeline.repo.js';

const lead = {
  id: 'lead_1',
  source: 'chat',
  createdAt: '2026-05-01T10:00:00.000Z',
  wonAt: '2026-05-04T09:00:00.000Z',
} as Lead;

const empty: LeadTrail = {
  scores: [],
  requests: [],
  conversations: [],
  handoffs: [],
  appointments: [],
  crmSyncs: [],
  statuses: [],
};

describe('leadTimeline', () => {
  it('orders every stored trace oldest first, with handoffs, bookings and cancellations from their rows', () => {
    const trail: LeadTrail = {
      ...empty,
      scores: [
        { at: '2026-05-02T10:00:00.000Z', score: 82, tier: 'HOT' },
        { at: '2026-05-01T10:00:00.000Z', score: 40, tier: 'COLD' },
      ],
      conversations: [
        {
          id: 'conv_1',
          channel: 'sms',
          startedAt: '2026-05-01T09:00:00.000Z',
          closedAt: '2026-05-01T12:00:00.000Z',
          resolution: 'resolved',
        },
      ],
      handoffs: [{ conversationId: 'conv_1', at: '2026-05-01T11:00:00.000Z', department: 'sales' }],
      appointments: [
        {
          id: 'appt_1',
          status: 'confirmed',
          source: 'chat',
          requestedAt: '2026-05-01T10:30:00.000Z',
          changedAt: '2026-05-03T08:00:00.000Z',
          startTime: '2026-05-06T15:00:00.000Z',
          cancelReason: null,
        },
        {
          id: 'appt_2',
          status: 'cancelled',
          source: 'chat',
          requestedAt: '2026-05-03T09:00:00.000Z',
          changedAt: '2026-05-05T09:00:00.000Z',
          startTime: null,
          cancelReason: 'found someone else',
        },
      ],
    };
    expect(leadTimeline(lead, trail).map((e) => [e.at.slice(0, 16), e.kind])).toEqual([
      ['2026-05-01T09:00', 'conversation_started'],
      ['2026-05-01T10:00', 'created'],
      ['2026-05-01T10:00', 'scored'],
      ['2026-05-01T10:30', 'appointment_requested'],
      ['2026-05-01T11:00', 'handed_off'],
      ['2026-05-01T12:00', 'conversation_closed'],
      ['2026-05-02T10:00', 'scored'],
      ['2026-05-03T08:00', 'appointment_booked'],
      ['2026-05-03T09:00', 'appointment_requested'],
      ['2026-05-04T09:00', 'won'],
      ['2026-05-05T09:00', 'appointment_cancelled'],
    ]);
    expect(leadTimeline(lead, trail)[6]).toMatchObject({ score: 82, previousScore: 40, previousTier: 'COLD' });
  });

  it('takes an appointment the CRM API booked as booked when it was made', () => {
    const trail: LeadTrail = {
      ...empty,
      appointments: [
        {
          id: 'appt_3',
          status: 'scheduled',
          source: 'crm',
          requestedAt: '2026-05-02T10:00:00.000Z',
          changedAt: '2026-05-02T10:00:00.000Z',
          startTime: '2026-05-07T15:00:00.000Z',
          cancelReason: null,
        },
      ],
    };
    const booked = leadTimeline({ ...lead, wonAt: null }, trail).filter((e) => e.kind.startsWith('appointment'));
    expect(booked).toEqual([
      {
        at: '2026-05-02T10:00:00.000Z',
        kind: 'appointment_booked',
        appointmentId: 'appt_3',
        start: '2026-05-07T15:00:00.000Z',
      },
    ]);
  });
});

describe('a status edit', () => {
  it('is told with its from and to, and a win it recorded is not told again', () => {
    const trail: LeadTrail = {
      ...empty,
      statuses: [{ at: '2026-05-04T09:00:00.000Z', from: 'contacted', to: 'won' }],
    };
    expect(leadTimeline(lead, trail).slice(1)).toEqual([
      { at: '2026-05-04T09:00:00.000Z', kind: 'status_changed', from: 'contacted', to: 'won' },
    ]);
  });
});

describe('leadCrmState', () => {
  const failed = { at: '2026-05-01T10:00:00.000Z', crm: 'hubspot', status: 'failed', recordId: null, error: 'token' };
  const synced = { at: '2026-05-02T10:00:00.000Z', crm: 'hubspot', status: 'success', recordId: '77', error: null };

  it('reads the latest sync, whatever order the rows came in', () => {
    expect(leadCrmState('hubspot', { ...empty, crmSyncs: [synced, failed] })).toEqual({
      provider: 'hubspot',
      status: 'synced',
      at: synced.at,
      recordId: '77',
      error: null,
    });
  });

  it('is pending while a request of the lead is still running after the last sync', () => {
    const running = { id: 'req_1', at: '2026-05-03T10:00:00.000Z', sourceType: 'callrail', status: 'processing' };
    expect(leadCrmState('hubspot', { ...empty, crmSyncs: [failed], requests: [running] })).toMatchObject({
      status: 'pending',
    });
  });

  it('names no CRM when none (or `none`) is configured', () => {
    expect(leadCrmState('none', empty)).toEqual({
      provider: null,
      status: null,
      at: null,
      recordId: null,
      error: null,
    });
    expect(leadCrmState(undefined, { ...empty, crmSyncs: [failed] })).toMatchObject({
      provider: null,
      status: 'failed',
    });
  });
});
