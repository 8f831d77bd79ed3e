import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../helpers/app.js';
import { hubspotError, startHubSpotFake, type HubSpotFake } from '../../fakes/hubspot.fake.js';
import { salesforceError, startSalesforceFake, type SalesforceFake } from '../../fakes/salesforce.fake.js';
import { startWebhookReceiver, type WebhookReceiver } from '../../fakes/webhook-receiver.fake.js';

type Tenant = Awaited<ReturnType<TestApp['createTenant']>>;
/** JSON as the API answered it. */
type Body = ReturnType<typeof JSON.parse>;

const HUBSPOT_TOKEN = 'pat-na1-test-token';
const SALESFORCE_TOKEN = '00Dxx0000000001!AQ4AQTest';
const lead = {
  email: 'maria.lopez@brightpath-solar.com',
  company: 'BrightPath Solar',
  name: 'Maria Lopez',
  phone: '+1 512 555 0199',
  message: 'Need a CRM integration for our 30-person sales team, budget $25k, want to start next month',
};

describe('POST /api/crm/sync', () => {
  let t: TestApp;
  let hubspot: HubSpotFake;
  let salesforce: SalesforceFake;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    t = await startTestApp();
    await t.deps.queue.start();
    hubspot = await startHubSpotFake({ accessToken: HUBSPOT_TOKEN });
    salesforce = await startSalesforceFake({ accessToken: SALESFORCE_TOKEN });
    receiver = await startWebhookReceiver();
  });
  afterAll(async () => {
    await t.close();
    await hubspot.close();
    await salesforce.close();
    await receiver.close();
  });

  const tenantWithCrm = () =>
    t.createTenant({
      plan: 'enterprise',
      configuration: {
        crm_config: {
          hubspot_access_token: HUBSPOT_TOKEN,
          hubspot_base_url: hubspot.url,
          salesforce_access_token: SALESFORCE_TOKEN,
          salesforce_instance_url: salesforce.instanceUrl,
        },
      },
    });
  const headers = (tenant: Tenant) => ({ authorization: `Bearer ${tenant.apiKey}` });
  const qualify = async (tenant: Tenant) =>
    (await t.app.inject({ method: 'POST', url: '/api/qualify', headers: headers(tenant), payload: lead })).json<Body>()
      .id as string;
  const sync = (tenant: Tenant, payload: object) =>
    t.app.inject({ method: 'POST', url: '/api/crm/sync', headers: headers(tenant), payload });

  it('creates the HubSpot contact and a deal in the pipeline with the owner found by e-mail, then fires lead.routed', async () => {
    const tenant = await tenantWithCrm();
    await t.app.inject({
      method: 'POST',
      url: '/api/webhooks',
      headers: headers(tenant),
      payload: { url: `${receiver.url}/routed`, events: ['lead.routed'] },
    });
    const ownerId = hubspot.addOwner('rep@yourcompany.com');
    const leadId = await qualify(tenant);

    const res = await sync(tenant, {
      lead_id: leadId,
      crm: 'hubspot',
      pipeline_id: 'default',
      owner_email: 'rep@yourcompany.com',
    });
    expect(res.statusCode, res.body).toBe(200);
    const body: Body = res.json();
    expect(body).toMatchObject({ success: true, lead_id: leadId, crm: 'hubspot', owner_id: ownerId, created: true });
    const contact = hubspot.contacts.get(body.contact_id);
    expect(contact?.properties).toMatchObject({
      email: lead.email,
      firstname: 'Maria',
      lastname: 'Lopez',
      company: lead.company,
      hubspot_owner_id: ownerId,
    });
    const deal = hubspot.deals.get(body.deal_id);
    expect(deal?.properties).toMatchObject({
      pipeline: 'default',
      dealstage: 'appointmentscheduled',
      hubspot_owner_id: ownerId,
    });
    expect(hubspot.associations).toContainEqual([body.deal_id, body.contact_id]);

    const [routed] = await receiver.waitFor(1);
    expect(JSON.parse(routed!.body)).toMatchObject({
      event: 'lead.routed',
      data: { id: leadId, crm: 'hubspot', owner_id: ownerId },
    });
  });

  it('creates a Salesforce Lead', async () => {
    const tenant = await tenantWithCrm();
    const leadId = await qualify(tenant);
    const res = await sync(tenant, { lead_id: leadId, crm: 'salesforce' });
    expect(res.statusCode, res.body).toBe(200);
    const body: Body = res.json();
    expect(body.crm_lead_id).toMatch(/^00Q/);
    expect(salesforce.leads.get(body.crm_lead_id)).toMatchObject({
      Email: lead.email,
      LastName: 'Lopez',
      Company: lead.company,
    });
  });

  it('answers 502 CRM_INTEGRATION_ERROR with the vendor’s message when HubSpot refuses, and records the failure', async () => {
    const tenant = await tenantWithCrm();
    const leadId = await qualify(tenant);
    hubspot.failNext(401, hubspotError('Authentication credentials not found.', 'INVALID_AUTHENTICATION'));
    const res = await sync(tenant, { lead_id: leadId, crm: 'hubspot' });
    expect(res.statusCode, res.body).toBe(502);
    const body: Body = res.json();
    expect(body.error.code).toBe('CRM_INTEGRATION_ERROR');
    expect(body.error.message).toContain('Authentication credentials not found.');
    const rows = await t.deps.database.db
      .selectFrom('crm_syncs')
      .selectAll()
      .where('tenant_id', '=', tenant.id)
      .execute();
    expect(rows.map((r) => r.status)).toEqual(['failed']);
  });

  it('answers 502 with Salesforce’s error code and message', async () => {
    const tenant = await tenantWithCrm();
    const leadId = await qualify(tenant);
    salesforce.failNext(401, salesforceError('INVALID_SESSION_ID', 'Session expired or invalid'));
    const res = await sync(tenant, { lead_id: leadId, crm: 'salesforce' });
    expect(res.statusCode).toBe(502);
    expect(res.json<Body>().error.message).toContain('INVALID_SESSION_ID: Session expired or invalid');
  });

  it('answers 400 naming what is missing when the CRM is not configured', async () => {
    const tenant = await t.createTenant({ plan: 'enterprise' });
    const leadId = await qualify(tenant);
    const res = await sync(tenant, { lead_id: leadId, crm: 'hubspot' });
    expect(res.statusCode).toBe(400);
    expect(res.json<Body>().error.message).toContain('crm_config.hubspot_access_token');
  });

  it('answers 404 for another tenant’s lead and 400 for an unknown CRM', async () => {
    const owner = await tenantWithCrm();
    const intruder = await tenantWithCrm();
    const leadId = await qualify(owner);
    const before = hubspot.contacts.size;
    const foreign = await sync(intruder, { lead_id: leadId, crm: 'hubspot' });
    expect(foreign.statusCode).toBe(404);
    expect(hubspot.contacts.size).toBe(before);
    const unknown = await sync(owner, { lead_id: leadId, crm: 'pipedrive' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json<Body>().error.details.field).toBe('crm');
  });
});
