import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CrmError } from '../../../src/providers/crm/crm.js';
import type { CrmLeadInput } from '../../../src/providers/crm/crm.js';
import { HubSpotCrmProvider } from '../../../src/providers/crm/hubspot.js';
import { hubspotError, startHubSpotFake } from '../../fakes/hubspot.fake.js';
import type { HubSpotFake } from '../../fakes/hubspot.fake.js';
import { localFetch } from '../../helpers/http.js';

const TOKEN = 'pat-na1-11111111-2222-3333-4444-555555555555';

const lead = (over: Partial<CrmLeadInput> = {}): CrmLeadInput => ({
  email: 'dana.whitfield@northwind.io',
  firstName: 'Dana',
  lastName: 'Whitfield',
  phone: '+14155550123',
  company: 'Northwind',
  score: 82,
  tier: 'WARM',
  intent: 'quote_request',
  source: 'web_form',
  summary: 'Wants a quote for re-roofing a 2,400 sq ft house.',
  budget: 18000,
  timeline: 'within 2 months',
  projectType: 'roof replacement',
  externalId: 'lead_01JH2K3M4N5P6Q7R8S9T0V1W2X',
  ...over,
});

describe('HubSpotCrmProvider', () => {
  let fake: HubSpotFake;
  beforeEach(async () => {
    fake = await startHubSpotFake({ accessToken: TOKEN });
  });
  afterEach(async () => {
    await fake.close();
  });
  const provider = (over: { accessToken?: string; timeoutMs?: number } = {}): HubSpotCrmProvider =>
    new HubSpotCrmProvider({
      accessToken: over.accessToken ?? TOKEN,
      baseUrl: fake.url,
      timeoutMs: over.timeoutMs ?? 5_000,
      fetch: localFetch,
    });
  const calls = (): string[] => fake.requests.map((r) => `${r.method} ${r.path}`);

  it('creates a new contact and a deal at the first stage of the default pipeline, associated to it', async () => {
    const result = await provider().upsertLead(lead(), {});

    expect(result).toEqual({ contactId: expect.any(String), dealId: expect.any(String), ownerId: null, created: true });
    expect(fake.contacts.get(result.contactId!)?.properties).toMatchObject({
      email: 'dana.whitfield@northwind.io',
      firstname: 'Dana',
      lastname: 'Whitfield',
      phone: '+14155550123',
      company: 'Northwind',
      hs_lead_status: 'NEW',
      lifecyclestage: 'lead',
      message: expect.stringContaining('Wants a quote for re-roofing'),
    });
    expect(fake.contacts.get(result.contactId!)?.properties.message).toMatch(
      /Score: 82 \(WARM\)[\s\S]*Timeline: within 2 months[\s\S]*Frontdesk lead: lead_01JH2K3M4N5P6Q7R8S9T0V1W2X/,
    );
    // The stock pipeline lists "Qualified To Buy" first, but "Appointment Scheduled" has the lowest displayOrder.
    expect(fake.deals.get(result.dealId!)?.properties).toMatchObject({
      dealname: 'Dana Whitfield – roof replacement',
      pipeline: 'default',
      dealstage: 'appointmentscheduled',
      amount: '18000',
    });
    expect(fake.associations).toEqual([[result.dealId, result.contactId]]);
    expect(fake.requests.every((r) => r.headers.authorization === `Bearer ${TOKEN}`)).toBe(true);
    expect(calls()).toEqual([
      'GET /crm/v3/pipelines/deals/default',
      'POST /crm/v3/objects/contacts/search',
      'POST /crm/v3/objects/contacts',
      'POST /crm/v3/objects/deals',
    ]);
    expect(fake.requests[1]?.body).toMatchObject({
      filterGroups: [{ filters: [{ propertyName: 'email', operator: 'EQ', value: 'dana.whitfield@northwind.io' }] }],
    });
  });

  it('marks a HOT lead as a sales qualified lead', async () => {
    const result = await provider().upsertLead(lead({ tier: 'HOT' }), {});

    expect(fake.contacts.get(result.contactId!)?.properties.lifecyclestage).toBe('salesqualifiedlead');
  });

  it('updates the same contact and deal on a second sync instead of creating new ones', async () => {
    const first = await provider().upsertLead(lead(), {});
    fake.requests.length = 0;
    const second = await provider().upsertLead(lead({ phone: '+14155550199', budget: 25000, tier: 'HOT' }), {});

    expect(second).toEqual({ ...first, created: false });
    expect(fake.contacts.size).toBe(1);
    expect(fake.deals.size).toBe(1);
    const contact = fake.contacts.get(first.contactId!)!.properties;
    expect(contact.phone).toBe('+14155550199');
    // Status and lifecycle stage belong to the sales team once the contact exists.
    expect(contact.lifecyclestage).toBe('lead');
    const patch = fake.requests.find((r) => r.method === 'PATCH' && r.path.includes('/contacts/'));
    expect(patch?.body).not.toHaveProperty('properties.hs_lead_status');
    expect(patch?.body).not.toHaveProperty('properties.lifecyclestage');
    expect(fake.deals.get(first.dealId!)?.properties).toMatchObject({
      amount: '25000',
      dealstage: 'appointmentscheduled',
    });
    expect(calls()).toEqual([
      'GET /crm/v3/pipelines/deals/default',
      'POST /crm/v3/objects/contacts/search',
      `PATCH /crm/v3/objects/contacts/${first.contactId}`,
      `GET /crm/v4/objects/contacts/${first.contactId}/associations/deals`,
      'POST /crm/v3/objects/deals/batch/read',
      `PATCH /crm/v3/objects/deals/${first.dealId}`,
    ]);
  });

  it('finds a contact entered in HubSpot by email regardless of case and leaves a moved deal stage alone', async () => {
    const contactId = fake.addContact({
      email: 'dana.whitfield@northwind.io',
      firstname: 'Dana',
      lifecyclestage: 'opportunity',
    });
    const dealId = fake.addDeal(contactId, { dealname: 'Dana – re-roof', dealstage: 'presentationscheduled' });

    const result = await provider().upsertLead(lead({ email: 'Dana.Whitfield@Northwind.io' }), {});

    expect(result).toMatchObject({ contactId, dealId, created: false });
    expect(fake.deals.get(dealId)?.properties).toMatchObject({
      dealname: 'Dana – re-roof',
      dealstage: 'presentationscheduled',
      amount: '18000',
    });
    expect(fake.contacts.get(contactId)?.properties.lifecyclestage).toBe('opportunity');
  });

  it('opens a new deal when the contact only has closed deals', async () => {
    const contactId = fake.addContact({ email: 'dana.whitfield@northwind.io' });
    const wonId = fake.addDeal(contactId, { dealname: 'Gutters 2024', dealstage: 'closedwon' });

    const result = await provider().upsertLead(lead(), {});

    expect(result.dealId).not.toBe(wonId);
    expect(fake.deals.get(result.dealId!)?.properties.dealstage).toBe('appointmentscheduled');
    expect(fake.deals.get(wonId)?.properties.dealstage).toBe('closedwon');
  });

  it('updates the contact HubSpot reports as existing when search has not indexed it yet', async () => {
    fake.lagSearch(true);
    const first = await provider().upsertLead(lead(), {});
    const second = await provider().upsertLead(lead({ budget: 21000 }), {});

    expect(second).toEqual({ ...first, created: false });
    expect(fake.contacts.size).toBe(1);
    expect(fake.deals.size).toBe(1);
    expect(fake.deals.get(first.dealId!)?.properties.amount).toBe('21000');
  });

  it('sets the owner found by email on the contact and the deal', async () => {
    const ownerId = fake.addOwner('maria.lopez@roofco.com', { firstName: 'Maria', lastName: 'Lopez' });
    fake.addOwner('someone.else@roofco.com');

    const result = await provider().upsertLead(lead(), { ownerEmail: 'maria.lopez@roofco.com' });

    expect(result.ownerId).toBe(ownerId);
    expect(fake.contacts.get(result.contactId!)?.properties.hubspot_owner_id).toBe(ownerId);
    expect(fake.deals.get(result.dealId!)?.properties.hubspot_owner_id).toBe(ownerId);
    expect(fake.requests[0]).toMatchObject({
      method: 'GET',
      path: '/crm/v3/owners',
      query: { email: 'maria.lopez@roofco.com' },
    });
  });

  it('goes on without an owner when the owner email matches no HubSpot user', async () => {
    fake.addOwner('maria.lopez@roofco.com');

    const result = await provider().upsertLead(lead(), { ownerEmail: 'nobody@roofco.com' });

    expect(result.ownerId).toBeNull();
    expect(fake.contacts.get(result.contactId!)?.properties).not.toHaveProperty('hubspot_owner_id');
    expect(fake.deals.get(result.dealId!)?.properties).not.toHaveProperty('hubspot_owner_id');
  });

  it('puts the deal at the open stage with the lowest display order of a custom pipeline', async () => {
    fake.addPipeline('87654321', 'Commercial', [
      { id: '1001', label: 'Site visit', displayOrder: 2 },
      { id: '1002', label: 'Lost', displayOrder: 0, isClosed: true },
      { id: '1003', label: 'New inquiry', displayOrder: 1 },
    ]);

    const result = await provider().upsertLead(lead(), { pipelineId: '87654321' });

    expect(fake.deals.get(result.dealId!)?.properties).toMatchObject({ pipeline: '87654321', dealstage: '1003' });
  });

  it('fails with not_found and HubSpot’s message for an unknown pipeline, before writing anything', async () => {
    const err = await provider()
      .upsertLead(lead(), { pipelineId: '999' })
      .catch((e: unknown) => e);

    expect(err).toBeInstanceOf(CrmError);
    expect(err).toMatchObject({
      kind: 'not_found',
      status: 404,
      retryable: false,
      message: 'Unable to find pipeline with id 999 for object type DEAL',
    });
    expect(fake.requests.filter((r) => r.method !== 'GET')).toEqual([]);
  });

  it('maps a rejected token to a non-retryable auth error with HubSpot’s message', async () => {
    const err = await provider({ accessToken: 'pat-na1-revoked' })
      .upsertLead(lead(), {})
      .catch((e: unknown) => e);

    expect(err).toMatchObject({
      kind: 'auth',
      status: 401,
      retryable: false,
      message: expect.stringContaining('Authentication credentials not found'),
    });
  });

  it('maps 429 to a retryable rate_limited error with HubSpot’s message', async () => {
    fake.failNext(
      429,
      hubspotError('You have reached your secondly limit.', 'RATE_LIMITS', {
        errorType: 'RATE_LIMIT',
        policyName: 'SECONDLY',
      }),
      { path: '/crm/v3/objects/contacts' },
    );

    const err = await provider()
      .upsertLead(lead(), {})
      .catch((e: unknown) => e);

    expect(err).toMatchObject({
      kind: 'rate_limited',
      status: 429,
      retryable: true,
      message: 'You have reached your secondly limit.',
    });
  });

  it('maps 500 to a retryable unavailable error with HubSpot’s message', async () => {
    fake.failNext(500, hubspotError('internal error', 'UNKNOWN'), { method: 'POST', path: '/crm/v3/objects/deals' });

    await expect(provider().upsertLead(lead(), {})).rejects.toMatchObject({
      kind: 'unavailable',
      status: 500,
      retryable: true,
      message: 'internal error',
    });
  });

  it('reports a non-JSON gateway page as unavailable with the start of its text', async () => {
    fake.failNext(502, '<html><body>502 Bad Gateway</body></html>');

    await expect(provider().upsertLead(lead(), {})).rejects.toMatchObject({
      kind: 'unavailable',
      status: 502,
      message: expect.stringContaining('HubSpot answered HTTP 502'),
    });
  });

  it('passes HubSpot’s property validation message through as a validation error', async () => {
    const err = await provider()
      .upsertLead(lead({ email: 'dana at northwind' }), {})
      .catch((e: unknown) => e);

    expect(err).toMatchObject({ kind: 'validation', status: 400, retryable: false });
    expect((err as Error).message).toMatch(/^Property values were not valid: .*INVALID_EMAIL/);
  });

  it('times out a stalled request as a retryable timeout error', async () => {
    fake.stallNext({ path: '/crm/v3/objects/contacts/search' });
    const started = Date.now();

    await expect(provider({ timeoutMs: 200 }).upsertLead(lead(), {})).rejects.toMatchObject({
      kind: 'timeout',
      status: undefined,
      retryable: true,
    });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('reports a refused connection as retryable unavailable', async () => {
    const gone = provider();
    await fake.close();

    await expect(gone.upsertLead(lead(), {})).rejects.toMatchObject({
      kind: 'unavailable',
      status: undefined,
      retryable: true,
      message: expect.stringContaining('could not reach HubSpot'),
    });
    fake = await startHubSpotFake({ accessToken: TOKEN });
  });

  it('creates a contact without an email, found by phone next time, and names the deal after the company', async () => {
    const phoneOnly = lead({
      email: undefined,
      firstName: undefined,
      lastName: undefined,
      projectType: undefined,
      intent: undefined,
    });
    const result = await provider().upsertLead(phoneOnly, {});

    expect(result.created).toBe(true);
    expect(fake.deals.get(result.dealId!)?.properties.dealname).toBe('Northwind');
    const search = fake.requests.find((r) => r.path === '/crm/v3/objects/contacts/search');
    expect(search?.body).toMatchObject({
      filterGroups: [{ filters: [{ propertyName: 'phone', operator: 'EQ', value: '+14155550123' }] }],
    });

    // A retried sync (the first one's record was lost with its process) finds the contact instead of adding a second.
    const again = await provider().upsertLead(phoneOnly, {});
    expect(again).toMatchObject({ created: false, contactId: result.contactId });
    expect([...fake.contacts.values()].filter((c) => c.properties.phone === '+14155550123')).toHaveLength(1);
  });
});
