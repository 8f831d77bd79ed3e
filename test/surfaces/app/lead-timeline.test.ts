import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../../src/lib/ids.js';
import type { LiveEvent } from '../../../src/domain/live/index.js';
import { startTestApp, type TestApp } from '../../helpers/app.js';
import { campaignAction, createCampaign, movableClock, targetsOf, uploadCsv } from '../../helpers/campaigns.js';
import { seedConversation } from '../../helpers/conversations.js';
import { dialects } from '../../helpers/db.js';
import { waitFor } from '../../helpers/queue.js';
import { hubspotError, startHubSpotFake, type HubSpotFake } from '../../fakes/hubspot.fake.js';
import { signedInUser, type Browser } from './app-session.js';

type Body = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- response bodies are read field by field
type Tenant = Awaited<ReturnType<TestApp['createTenant']>>;

const HUBSPOT_TOKEN = 'pat-na1-lead-timeline';
const hourFromNow = (hours: number) => new Date(Date.now() + hours * 3_600_000).toISOString();

describe.each(dialects)('a lead’s timeline and CRM state on $label', ({ dialect, skip }) => {
  let t: TestApp;
  let hubspot: HubSpotFake;

  beforeAll(async () => {
    if (skip) return;
    hubspot = await startHubSpotFake({ accessToken: HUBSPOT_TOKEN });
    t = await startTestApp({ dialect });
    await t.startWorkers();
  });
  afterAll(async () => {
    if (skip) return;
    await t.close();
    await hubspot.close();
  });

  const db = () => t.deps.database.db;
  const get = async (browser: Browser, url: string) => {
    const res = await t.app.inject({ method: 'GET', url, headers: browser.read });
    return { status: res.statusCode, body: res.json<Body>() };
  };
  const withHubSpot = () =>
    t.createTenant({
      timezone: 'America/Chicago',
      configuration: {
        crm_config: { provider: 'hubspot', hubspot_access_token: HUBSPOT_TOKEN, hubspot_base_url: hubspot.url },
      },
    });
  /** A web form through spec A, run through the pipeline to the end; answers the request and its lead. */
  const webForm = async (tenant: Tenant, email: string, phone: string) => {
    const sent = await t.app.inject({
      method: 'POST',
      url: '/v1/leads/webhook',
      headers: { 'content-type': 'application/json', 'x-api-key': tenant.apiKey },
      payload: {
        customer_name: 'Reed Porter',
        customer_email: email,
        customer_phone: phone,
        project_description: 'New roof, budget $20k, this month',
      },
    });
    expect(sent.statusCode, sent.body).toBe(200);
    const requestId = sent.json<Body>().request_id as string;
    const row = await waitFor(async () => {
      const r = await db()
        .selectFrom('ingestion_requests')
        .select(['status', 'lead_id'])
        .where('tenant_id', '=', tenant.id)
        .where('id', '=', requestId)
        .executeTakeFirst();
      return r && (r.status === 'completed' || r.status === 'failed') ? r : undefined;
    }, 60_000);
    return { requestId, status: row.status, leadId: row.lead_id as string };
  };

  it.skipIf(skip)(
    'tells a form lead’s history oldest first across channels, and its HubSpot sync, to its own tenant only',
    async () => {
      const tenant = await withHubSpot();
      const other = await withHubSpot();
      const { browser } = await signedInUser(t, tenant.id, { email: 'rita@timeline.example', role: 'agent' });
      const phone = '+14155550161';
      // The person chatted before (an hour ahead, so it sorts after the form) and asked for a visit.
      const conversationId = await seedConversation(db(), tenant.id, {
        contact: { phone },
        createdAt: hourFromNow(1),
        status: 'closed',
        resolution: 'resolved',
        messages: [{ sender: 'customer', text: 'Can someone look at the roof?' }],
      });
      const { requestId, status, leadId } = await webForm(tenant, 'reed@porterhomes.example', phone);
      expect(status).toBe('completed');
      const rescored = await t.app.inject({
        method: 'POST',
        url: '/api/qualify',
        headers: { authorization: `Bearer ${tenant.apiKey}` },
        payload: {
          email: 'reed@porterhomes.example',
          company: 'Porter Homes',
          message: 'Actually just a gutter, no rush.',
        },
      });
      expect(rescored.statusCode, rescored.body).toBe(200);
      expect(rescored.json<Body>().id).toBe(leadId);
      const lead = await t.deps.services.leads.get(tenant.id, leadId);
      const appointmentId = newId('appt');
      const asked = hourFromNow(2);
      await db()
        .transaction()
        .execute((tx) =>
          t.deps.services.appointments.requestIn(tx, tenant.id, {
            id: appointmentId,
            conversationId,
            contactId: lead.contactId,
            leadId: null,
            preferredTime: 'Tuesday morning',
            requestedStart: null,
            requestedEnd: null,
            fields: { name: 'Reed Porter', phone },
            status: 'requested',
            createdAt: asked,
            updatedAt: asked,
          }),
        );
      // Tenant B's person has the same phone: none of B's rows may show in A's timeline.
      const theirChat = await seedConversation(db(), other.id, { contact: { phone }, createdAt: hourFromNow(3) });
      const theirs = await webForm(other, 'reed@elsewhere.example', phone);

      const res = await get(browser, `/app/api/leads/${leadId}/timeline`);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      const data = res.body.data;
      expect(data.timezone).toBe('America/Chicago');
      expect(data.events.map((e: Body) => e.kind)).toEqual([
        'request',
        'created',
        'scored',
        'crm_sync',
        'scored',
        'conversation_started',
        'conversation_closed',
        'appointment_requested',
      ]);
      const times = data.events.map((e: Body) => e.at as string);
      expect([...times].sort()).toEqual(times);
      expect(data.events[0]).toMatchObject({ request_id: requestId, source_type: 'api', status: 'completed' });
      expect(data.events[1]).toMatchObject({ source: lead.source, text: `Lead created from ${lead.source}` });
      expect(data.events[4]).toMatchObject({
        previous_score: data.events[2].score,
        previous_tier: data.events[2].tier,
      });
      expect(data.events[5]).toMatchObject({ conversation_id: conversationId, channel: 'web' });
      expect(data.events[7]).toMatchObject({ appointment_id: appointmentId, text: 'Appointment requested' });
      const contact = [...hubspot.contacts.values()].find((c) => c.properties.email === 'reed@porterhomes.example');
      expect(data.events[3]).toMatchObject({ crm: 'hubspot', status: 'synced', error: null });
      expect(data.crm).toMatchObject({ provider: 'hubspot', status: 'synced', at: data.events[3].at, error: null });
      expect(data.crm.crm_record_id).toEqual(expect.any(String));
      expect(contact).toBeDefined();
      const body = JSON.stringify(data);
      expect(body).not.toContain(theirs.leadId);
      expect(body).not.toContain(theirChat);

      const intruder = await signedInUser(t, other.id, { email: 'admin@other-timeline.example', role: 'admin' });
      expect((await get(intruder.browser, `/app/api/leads/${leadId}/timeline`)).status).toBe(404);
      expect((await get(browser, `/app/api/leads/${theirs.leadId}/timeline`)).status).toBe(404);
      const viewer = await signedInUser(t, tenant.id, { email: 'vic@timeline.example', role: 'viewer' });
      expect((await get(viewer.browser, `/app/api/leads/${leadId}/timeline`)).status).toBe(403);
    },
    120_000,
  );

  it.skipIf(skip)('shows a failed sync with HubSpot’s error, and says so when no CRM is configured', async () => {
    const tenant = await withHubSpot();
    const { browser } = await signedInUser(t, tenant.id, { email: 'olga@failed-sync.example', role: 'owner' });
    hubspot.failNext(401, hubspotError('Authentication credentials not found.', 'INVALID_AUTHENTICATION'));
    const { status, leadId } = await webForm(tenant, 'fay@failing.example', '+14155550162');
    expect(status).toBe('failed');
    const failed = (await get(browser, `/app/api/leads/${leadId}/timeline`)).body.data;
    expect(failed.crm).toMatchObject({ provider: 'hubspot', status: 'failed', crm_record_id: null });
    expect(failed.crm.error).toContain('Authentication credentials not found.');
    expect(failed.events.filter((e: Body) => e.kind === 'crm_sync')).toEqual([
      expect.objectContaining({ status: 'failed', error: failed.crm.error }),
    ]);

    const plain = await t.createTenant();
    const owner = await signedInUser(t, plain.id, { email: 'nia@no-crm.example', role: 'owner' });
    const { leadId: plainLead } = await webForm(plain, 'nia@nocrm.example', '+14155550163');
    const none = (await get(owner.browser, `/app/api/leads/${plainLead}/timeline`)).body.data;
    expect(none.crm).toEqual({ provider: null, status: null, at: null, crm_record_id: null, error: null });
    expect(none.events.map((e: Body) => e.kind)).toEqual(['request', 'created', 'scored']);
  });
});

describe.each(dialects)('live lead events of spec B’s edits and campaigns on $label', ({ dialect, skip }) => {
  let t: TestApp;

  beforeAll(async () => {
    // Inside the campaign's calling hours, whenever the suite runs.
    if (!skip) t = await startTestApp({ dialect, clock: movableClock('2026-12-08T05:30:00.000Z') });
  });
  afterAll(async () => {
    if (!skip) await t.close();
  });

  const get = async (browser: Browser, url: string) => {
    const res = await t.app.inject({ method: 'GET', url, headers: browser.read });
    return { status: res.statusCode, body: res.json<Body>() };
  };

  it.skipIf(skip)('announces spec B’s status edits and campaign-sourced leads on the live bus', async () => {
    const tenant = await t.createTenant();
    const heard: LiveEvent[] = [];
    const subscription = await t.deps.live.subscribe(tenant.id, undefined, (e) => heard.push(e));
    try {
      const qualified = await t.app.inject({
        method: 'POST',
        url: '/api/qualify',
        headers: { authorization: `Bearer ${tenant.apiKey}` },
        payload: { email: 'sol@status.example', company: 'Sol Bakery', message: 'A new boiler, please.' },
      });
      expect(qualified.statusCode, qualified.body).toBe(200);
      const leadId = qualified.json<Body>().id as string;
      heard.length = 0;
      const put = await t.app.inject({
        method: 'PUT',
        url: `/api/leads/${leadId}`,
        headers: { 'x-api-key': tenant.apiKey },
        payload: { status: 'converted' },
      });
      expect(put.statusCode, put.body).toBe(200);
      const updated = await waitFor(() => heard.find((e) => e.type === 'lead.updated'));
      expect(updated).toMatchObject({ conversationId: null, data: { id: leadId, source: 'api', mode: 'live' } });
      const browser = (await signedInUser(t, tenant.id, { email: 'wes@won.example', role: 'owner' })).browser;
      const events = (await get(browser, `/app/api/leads/${leadId}/timeline`)).body.data.events as Body[];
      // Spec B's edit is recorded with its from and to, and tells the win once.
      expect(events.at(-1)).toMatchObject({
        kind: 'status_changed',
        from: 'qualified',
        to: 'won',
        text: 'Status changed from qualified to won',
      });
      expect(events.filter((e) => e.kind === 'won')).toEqual([]);

      const { id } = await createCampaign(t, tenant.apiKey);
      await uploadCsv(t, tenant.apiKey, id, 'phone\n+919876543215\n');
      const [target] = await targetsOf(t, id);
      const created = await waitFor(() => heard.find((e) => e.type === 'lead.created'));
      expect(created).toMatchObject({ data: { id: target?.lead_id, tier: null, score: null, mode: 'live' } });
      heard.length = 0;
      await campaignAction(t, tenant.apiKey, id, 'start');
      await t.deps.services.campaigns.dialDue(tenant.id, id);
      const called = await waitFor(() => heard.find((e) => e.type === 'lead.updated'));
      expect(called.data).toMatchObject({ id: target?.lead_id });
      // The call (its conversation) and its verdict (5: interested) are on the sourced lead's timeline.
      const sourced = (await get(browser, `/app/api/leads/${target?.lead_id as string}/timeline`)).body.data;
      expect(sourced.events.map((e: Body) => [e.kind, e.to ?? null])).toEqual([
        ['created', null],
        ['conversation_started', null],
        ['status_changed', 'interested'],
      ]);
      expect(sourced.events[2]).toMatchObject({ from: 'new' });
    } finally {
      await subscription.close();
    }
  });
});
