import { describe, expect, it } from 'vitest';
import { e164Phone } from '../../../src/domain/notifications/index.js';
import { handoffNotice, ownerNotice } from '../../../src/domain/notifications/notices.js';

const BASE = 'https://desk.example.com';
const handoff = (briefing: Record<string, unknown>) => ({
  conversationId: 'conv_1',
  transferId: 'transfer_1',
  assigneeUserId: null,
  reason: 'requested',
  priority: 'normal',
  department: null,
  briefing,
});

describe('a notice as a text message', () => {
  it('says the subject, the briefing’s summary, request and note, and ends with the link', () => {
    const notice = handoffNotice(
      handoff({ summary: 'Boiler leaking', request: 'a visit today', customer: { name: 'Maya' }, note: 'urgent' }),
      'Acme',
      BASE,
    );
    expect(notice.short).toBe(
      `[Acme] A customer is waiting for a person: Boiler leaking; a visit today; urgent ${BASE}/app/conversations/conv_1`,
    );
  });

  it('falls back to the briefing’s first line, and cuts a long one before the link', () => {
    expect(handoffNotice(handoff({ reason: 'billing' }), 'Acme', BASE).short).toContain('person: reason: billing ');
    const long = handoffNotice(handoff({ note: 'word '.repeat(200) }), 'Acme', BASE).short;
    expect(long.endsWith(`… ${BASE}/app/conversations/conv_1`)).toBe(true);
    expect(long.length).toBeLessThanOrEqual(240 + ` ${BASE}/app/conversations/conv_1`.length);
  });

  it('is the subject and the link for an owner notice', () => {
    const notice = ownerNotice(
      { kind: 'webhook_disabled', endpointId: 'wh_1', url: 'https://x.example', reason: '410' },
      'Acme',
      BASE,
    );
    expect(notice.short).toBe(`[Acme] A webhook was disabled ${BASE}/app/settings/webhooks`);
  });
});

describe('e164Phone', () => {
  it('takes a valid number with its country code and refuses a local or impossible one', () => {
    expect(e164Phone.parse(' +14155550123 ')).toBe('+14155550123');
    expect(e164Phone.safeParse('4155550123').success).toBe(false);
    expect(e164Phone.safeParse('+1415').success).toBe(false);
  });
});

describe('the owner’s notice of a failed request', () => {
  it('links to the request’s page in the web app, where its timeline and Retry are', () => {
    const notice = ownerNotice(
      { kind: 'pipeline_failed', requestId: 'req_1 2', step: 'crm_integration', error: 'CRM_INTEGRATION_ERROR: 401' },
      'Harbour Roofing',
      'https://desk.example',
    );
    expect(notice.link).toBe('https://desk.example/app/requests/req_1%202');
    expect(notice.subject).toBe('[Harbour Roofing] A lead request failed at crm_integration');
    expect(notice.text).toContain('See it: https://desk.example/app/requests/req_1%202');
  });
});
