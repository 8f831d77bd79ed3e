import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CrmError } from '../../../src/providers/crm/crm.js';
import { createCrmProvider } from '../../../src/providers/crm/crm-factory.js';
import { startHubSpotFake } from '../../fakes/hubspot.fake.js';
import type { HubSpotFake } from '../../fakes/hubspot.fake.js';
import { startSalesforceFake } from '../../fakes/salesforce.fake.js';
import type { SalesforceFake } from '../../fakes/salesforce.fake.js';
import { localFetch } from '../../helpers/http.js';

describe('createCrmProvider', () => {
  let hubspot: HubSpotFake;
  let salesforce: SalesforceFake;
  beforeEach(async () => {
    [hubspot, salesforce] = await Promise.all([
      startHubSpotFake({ accessToken: 'pat-hs' }),
      startSalesforceFake({ accessToken: 'sf-session' }),
    ]);
  });
  afterEach(async () => {
    await Promise.all([hubspot.close(), salesforce.close()]);
  });

  it('builds a HubSpot adapter that talks to the configured base URL', async () => {
    const crm = createCrmProvider(
      'hubspot',
      { accessToken: 'pat-hs', baseUrl: hubspot.url },
      { timeoutMs: 5_000, fetch: localFetch },
    );
    const result = await crm.upsertLead({ email: 'kim@lakeside.dev', externalId: 'lead_1' }, {});

    expect(crm.kind).toBe('hubspot');
    expect(result).toMatchObject({ contactId: expect.any(String), dealId: expect.any(String), created: true });
  });

  it('builds a Salesforce adapter for the instance URL and API version', async () => {
    const crm = createCrmProvider(
      'salesforce',
      { accessToken: 'sf-session', instanceUrl: salesforce.instanceUrl, apiVersion: 'v61.0' },
      { timeoutMs: 5_000, fetch: localFetch },
    );
    const result = await crm.upsertLead({ email: 'kim@lakeside.dev', externalId: 'lead_1' }, {});

    expect(crm.kind).toBe('salesforce');
    expect(result).toMatchObject({ leadId: expect.any(String), created: true });
    expect(salesforce.requests[0]?.path).toBe('/services/data/v61.0/query');
  });

  it('refuses Salesforce credentials without an instance URL', () => {
    expect(() =>
      createCrmProvider('salesforce', { accessToken: 'sf-session' }, { timeoutMs: 5_000, fetch: localFetch }),
    ).toThrow(CrmError);
  });

  it('refuses an empty access token as a non-retryable auth error', () => {
    expect(() => createCrmProvider('hubspot', { accessToken: '' }, { timeoutMs: 5_000, fetch: localFetch })).toThrow(
      expect.objectContaining({ kind: 'auth', retryable: false }),
    );
  });
});
