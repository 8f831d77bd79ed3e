import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CrmError } from '../../../src/providers/crm/crm.js';
import type { CrmLeadInput } from '../../../src/providers/crm/crm.js';
import { SalesforceCrmProvider, soqlString } from '../../../src/providers/crm/salesforce.js';
import type { SalesforceOptions } from '../../../src/providers/crm/salesforce.js';
import { salesforceError, startSalesforceFake } from '../../fakes/salesforce.fake.js';
import type { SalesforceFake } from '../../fakes/salesforce.fake.js';
import { localFetch } from '../../helpers/http.js';

const TOKEN = '00D5g000004abcd!AQ0AQFakeSessionToken';

const lead = (over: Partial<CrmLeadInput> = {}): CrmLeadInput => ({
  email: 'dana.whitfield@northwind.io',
  firstName: 'Dana',
  lastName: 'Whitfield',
  phone: '+14155550123',
  company: 'Northwind',
  score: 91,
  tier: 'HOT',
  intent: 'quote_request',
  source: 'web_form',
  summary: 'Wants a quote for re-roofing a 2,400 sq ft house.',
  budget: 18000,
  timeline: 'within 2 months',
  projectType: 'roof replacement',
  externalId: 'lead_01JH2K3M4N5P6Q7R8S9T0V1W2X',
  ...over,
});

describe('SalesforceCrmProvider', () => {
  let fake: SalesforceFake;
  beforeEach(async () => {
    fake = await startSalesforceFake({ accessToken: TOKEN });
  });
  afterEach(async () => {
    await fake.close();
  });
  const provider = (over: Partial<SalesforceOptions> = {}): SalesforceCrmProvider =>
    new SalesforceCrmProvider({
      accessToken: TOKEN,
      instanceUrl: fake.instanceUrl,
      timeoutMs: 5_000,
      ...over,
      fetch: localFetch,
    });

  it('creates a Lead with the mapped fields and returns its id and Lightning URL', async () => {
    const result = await provider().upsertLead(lead(), {});

    expect(result).toEqual({
      leadId: expect.stringMatching(/^00Q/),
      ownerId: null,
      created: true,
      url: `${fake.instanceUrl}/lightning/r/Lead/${result.leadId}/view`,
    });
    expect(fake.leads.get(result.leadId!)).toMatchObject({
      FirstName: 'Dana',
      LastName: 'Whitfield',
      Company: 'Northwind',
      Email: 'dana.whitfield@northwind.io',
      Phone: '+14155550123',
      LeadSource: 'web_form',
      Rating: 'Hot',
      Description: expect.stringMatching(/^Wants a quote[\s\S]*Score: 91 \(HOT\)[\s\S]*Budget: 18000/),
    });
    expect(fake.queries).toEqual([
      "SELECT Id FROM Lead WHERE Email = 'dana.whitfield@northwind.io' AND IsConverted = false ORDER BY CreatedDate DESC LIMIT 1",
    ]);
    expect(fake.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /services/data/v60.0/query',
      'POST /services/data/v60.0/sobjects/Lead',
    ]);
    expect(fake.requests.every((r) => r.headers.authorization === `Bearer ${TOKEN}`)).toBe(true);
  });

  it('updates the Lead found by email on a second sync and keeps its first lead source', async () => {
    const first = await provider().upsertLead(lead(), {});
    const second = await provider().upsertLead(lead({ tier: 'WARM', phone: '+14155550199', source: 'callrail' }), {});

    expect(second).toEqual({ ...first, created: false });
    expect(fake.leads.size).toBe(1);
    expect(fake.leads.get(first.leadId!)).toMatchObject({
      Rating: 'Warm',
      Phone: '+14155550199',
      LeadSource: 'web_form',
    });
    const patch = fake.requests.at(-1);
    expect(patch).toMatchObject({ method: 'PATCH', path: `/services/data/v60.0/sobjects/Lead/${first.leadId}` });
    expect(patch?.body).not.toHaveProperty('LeadSource');
  });

  it('escapes a quote in the email so the SOQL stays valid and still matches', async () => {
    const existing = fake.addLead({ LastName: "O'Brien", Company: 'Harbour Ltd', Email: "sean.o'brien@harbour.ie" });

    const result = await provider().upsertLead(lead({ email: "sean.o'brien@harbour.ie" }), {});

    expect(fake.queries[0]).toBe(
      "SELECT Id FROM Lead WHERE Email = 'sean.o\\'brien@harbour.ie' AND IsConverted = false ORDER BY CreatedDate DESC LIMIT 1",
    );
    expect(result).toMatchObject({ leadId: existing, created: false });
  });

  it('escapes backslashes before quotes in SOQL literals', () => {
    expect(soqlString("a\\'b")).toBe("'a\\\\\\'b'");
    expect(soqlString('line\nbreak "quoted"')).toBe('\'line\\nbreak \\"quoted\\"\'');
  });

  it("fills the required LastName and Company with Salesforce's web-to-lead placeholder, or the email domain", async () => {
    const corporate = await provider().upsertLead(
      lead({ firstName: 'Dana', lastName: undefined, company: undefined, email: 'dana@northwind.io' }),
      {},
    );
    const freeMail = await provider().upsertLead(
      lead({ lastName: undefined, company: undefined, email: 'dana.w@gmail.com' }),
      {},
    );
    const noEmail = await provider().upsertLead(
      lead({ firstName: undefined, lastName: undefined, company: undefined, email: undefined }),
      {},
    );

    expect(fake.leads.get(corporate.leadId!)).toMatchObject({
      FirstName: 'Dana',
      LastName: '[not provided]',
      Company: 'northwind.io',
    });
    expect(fake.leads.get(freeMail.leadId!)).toMatchObject({ LastName: '[not provided]', Company: '[not provided]' });
    expect(fake.leads.get(noEmail.leadId!)).toMatchObject({
      LastName: '[not provided]',
      Company: '[not provided]',
      Phone: '+14155550123',
    });
    // Without an email there is nothing to match on, so nothing is queried.
    expect(fake.queries).toHaveLength(2);
  });

  it('never overwrites a name or company a salesperson entered with placeholders', async () => {
    const id = fake.addLead({
      LastName: 'Whitfield-Jones',
      Company: 'Northwind Holdings',
      Email: 'dana.whitfield@northwind.io',
    });

    await provider().upsertLead(lead({ lastName: undefined, company: undefined }), {});

    expect(fake.leads.get(id)).toMatchObject({ LastName: 'Whitfield-Jones', Company: 'Northwind Holdings' });
  });

  it('clips values to the standard Lead field lengths instead of failing with STRING_TOO_LONG', async () => {
    const result = await provider().upsertLead(lead({ lastName: 'L'.repeat(120), company: 'C'.repeat(300) }), {});

    expect(fake.leads.get(result.leadId!)).toMatchObject({ LastName: 'L'.repeat(80), Company: 'C'.repeat(255) });
  });

  it('creates a new Lead when the only match by email was already converted', async () => {
    const converted = fake.addLead({
      LastName: 'Whitfield',
      Company: 'Northwind',
      Email: 'dana.whitfield@northwind.io',
      IsConverted: true,
    });

    const result = await provider().upsertLead(lead(), {});

    expect(result.created).toBe(true);
    expect(result.leadId).not.toBe(converted);
  });

  it('sets the active user found by email as owner and keeps assignment rules from replacing it', async () => {
    const ownerId = fake.addUser('maria.lopez@roofco.com');
    fake.assignNewLeadsTo(fake.addUser('queue.router@roofco.com'));

    const result = await provider().upsertLead(lead(), { ownerEmail: 'maria.lopez@roofco.com' });

    expect(result.ownerId).toBe(ownerId);
    expect(fake.leads.get(result.leadId!)?.OwnerId).toBe(ownerId);
    expect(fake.queries[0]).toBe(
      "SELECT Id FROM User WHERE Email = 'maria.lopez@roofco.com' AND IsActive = true LIMIT 1",
    );
    expect(fake.requests.at(-1)?.headers['sforce-auto-assign']).toBe('FALSE');
  });

  it('leaves the owner to Salesforce when the owner email matches no active user', async () => {
    fake.addUser('former.rep@roofco.com', { isActive: false });
    const router = fake.addUser('queue.router@roofco.com');
    fake.assignNewLeadsTo(router);

    const result = await provider().upsertLead(lead(), { ownerEmail: 'former.rep@roofco.com' });

    expect(result.ownerId).toBeNull();
    expect(fake.requests.at(-1)?.body).not.toHaveProperty('OwnerId');
    expect(fake.requests.at(-1)?.headers).not.toHaveProperty('sforce-auto-assign');
    expect(fake.leads.get(result.leadId!)?.OwnerId).toBe(router);
  });

  it('maps INVALID_SESSION_ID to a non-retryable auth error with the code and message', async () => {
    const err = await provider({ accessToken: 'expired' })
      .upsertLead(lead(), {})
      .catch((e: unknown) => e);

    expect(err).toBeInstanceOf(CrmError);
    expect(err).toMatchObject({
      kind: 'auth',
      status: 401,
      retryable: false,
      message: 'INVALID_SESSION_ID: Session expired or invalid',
    });
  });

  it('maps 403 REQUEST_LIMIT_EXCEEDED to a retryable rate_limited error', async () => {
    fake.failNext(403, salesforceError('REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.'));

    await expect(provider().upsertLead(lead(), {})).rejects.toMatchObject({
      kind: 'rate_limited',
      status: 403,
      retryable: true,
      message: 'REQUEST_LIMIT_EXCEEDED: TotalRequests Limit exceeded.',
    });
  });

  it('maps any other 403 to a non-retryable auth error', async () => {
    fake.failNext(403, salesforceError('INSUFFICIENT_ACCESS_OR_READONLY', 'insufficient access rights on object id'), {
      method: 'POST',
    });

    await expect(provider().upsertLead(lead(), {})).rejects.toMatchObject({
      kind: 'auth',
      status: 403,
      retryable: false,
    });
  });

  it('maps 500 to a retryable unavailable error with the code and message', async () => {
    fake.failNext(
      500,
      salesforceError(
        'UNKNOWN_EXCEPTION',
        'An unexpected error occurred. Please include this ErrorId if you contact support: 1234567890-12345 (-1483911234)',
      ),
      { path: '/sobjects/Lead' },
    );

    await expect(provider().upsertLead(lead(), {})).rejects.toMatchObject({
      kind: 'unavailable',
      status: 500,
      retryable: true,
      message: expect.stringMatching(/^UNKNOWN_EXCEPTION: An unexpected error occurred/),
    });
  });

  it('passes a field validation failure through as a non-retryable validation error', async () => {
    await expect(provider().upsertLead(lead({ email: 'dana at northwind' }), {})).rejects.toMatchObject({
      kind: 'validation',
      status: 400,
      retryable: false,
      message: 'INVALID_EMAIL_ADDRESS: Email: invalid email address: dana at northwind',
    });
  });

  it('times out a stalled request as a retryable timeout error', async () => {
    fake.stallNext({ method: 'POST' });
    const started = Date.now();

    await expect(provider({ timeoutMs: 200 }).upsertLead(lead(), {})).rejects.toMatchObject({
      kind: 'timeout',
      status: undefined,
      retryable: true,
    });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('calls the configured API version, with or without its leading v', async () => {
    await provider({ apiVersion: '58.0' }).upsertLead(lead(), {});
    await provider({ apiVersion: 'v59.0', instanceUrl: `${fake.instanceUrl}/` }).upsertLead(lead(), {});

    expect(fake.requests.map((r) => r.path.split('/')[3])).toEqual(['v58.0', 'v58.0', 'v59.0', 'v59.0']);
  });
});
