import { describe, expect, it } from 'vitest';
import { ownerNotice } from '../../../src/domain/notifications/notices.js';

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
