import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../helpers/app.js';
import { campaignAction, createCampaign, movableClock, targetsOf, uploadCsv } from '../../helpers/campaigns.js';
import { dialects } from '../../helpers/db.js';
import { startExotelFake, type ExotelFake } from '../../fakes/exotel.fake.js';

const BASE = 'https://frontdesk.example.com';
const PATH = '/api/webhooks/exotel/incoming';
const ACCOUNT = { sid: 'frontdesk1', apiKey: 'exotel-api-key', apiToken: 'exotel-api-token' };
const TOKEN_A = 'tenant-a-exotel-webhook-token';
const TOKEN_B = 'tenant-b-exotel-webhook-token';

/** Posts Exotel's form-encoded parameters to a path and query of ours. */
function exotelPost(t: TestApp, url: string, fields: Record<string, string>) {
  return t.app.inject({
    method: 'POST',
    url: url.startsWith(BASE) ? url.slice(BASE.length) : url,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams(fields).toString(),
  });
}

const exotelTenant = (t: TestApp, fake: ExotelFake, token: string) =>
  t.createTenant({
    configuration: {
      channels: {
        exotel: {
          account_sid: ACCOUNT.sid,
          api_key: ACCOUNT.apiKey,
          api_token: ACCOUNT.apiToken,
          phone_number: '02240000000',
          api_base_url: fake.url,
        },
      },
      campaigns: { dialer: 'exotel', exotel: { webhook_token: token } },
    },
  });

describe.each(dialects)('calls through Exotel on $label', ({ dialect, skip }) => {
  let t: TestApp;
  let fake: ExotelFake;

  beforeAll(async () => {
    if (skip) return;
    fake = await startExotelFake(ACCOUNT);
    t = await startTestApp({
      dialect,
      env: { PUBLIC_BASE_URL: BASE },
      clock: movableClock('2026-12-08T05:30:00.000Z'),
    });
  });
  afterAll(async () => {
    if (skip) return;
    await t.close();
    await fake.close();
  });

  it.skipIf(skip)(
    'answers an inbound call in ExoML through the voice conversation, from a form or a query',
    async () => {
      const a = await exotelTenant(t, fake, TOKEN_A);
      const url = `${PATH}?business_id=${a.id}&token=${TOKEN_A}`;
      const call = { CallSid: 'inbound-call-1', From: '+919876543299', To: '02240000000', Direction: 'incoming' };
      const greeted = await exotelPost(t, url, call);
      expect(greeted.statusCode, greeted.body).toBe(200);
      expect(greeted.headers['content-type']).toContain('text/xml');
      expect(greeted.body).toMatch(/^<\?xml[^>]*><Response><Gather[^>]*><Say>[^<]+<\/Say><\/Gather><\/Response>$/);
      expect(greeted.body).toContain('token=');
      const heard = await exotelPost(t, `${url}&gathered=1`, { ...call, SpeechResult: 'What are your prices?' });
      expect(heard.statusCode, heard.body).toBe(200);
      expect(heard.body).toContain('<Say>');
      const passthru = await exotelPost(t, `${url}&${new URLSearchParams(call).toString()}`, {});
      expect(passthru.statusCode, passthru.body).toBe(200);
    },
  );

  it.skipIf(skip)('refuses a missing or wrong token, and another tenant’s token, in spec B’s envelope', async () => {
    const a = await exotelTenant(t, fake, TOKEN_A);
    await exotelTenant(t, fake, TOKEN_B);
    const call = { CallSid: 'inbound-call-2', From: '+919876543299', To: '02240000000' };
    for (const query of ['', '&token=wrong-token-for-this-tenant', `&token=${TOKEN_B}`]) {
      const refused = await exotelPost(t, `${PATH}?business_id=${a.id}${query}`, call);
      expect(refused.statusCode, query).toBe(401);
      expect(refused.json().error.code).toBe('AUTHENTICATION_ERROR');
    }
  });

  it.skipIf(skip)('dials through Exotel and records status callbacks as outcomes in the stats', async () => {
    const tenant = await exotelTenant(t, fake, TOKEN_A);
    const { id } = await createCampaign(t, tenant.apiKey);
    await uploadCsv(t, tenant.apiKey, id, 'phone\n+919876543213\n+919876543215\n');
    await campaignAction(t, tenant.apiKey, id, 'start');
    const before = fake.requests.length;
    expect(await t.deps.services.campaigns.dialDue(tenant.id, id)).toMatchObject({ dialed: 2 });
    const [first, second] = fake.requests.slice(before).map((r) => r.form);
    expect(first!.StatusCallback).toContain(`token=${TOKEN_A}`);
    expect(first!.StatusCallback).toContain('event=status');

    const [busy, person] = await targetsOf(t, id);
    const ended = await exotelPost(t, first!.StatusCallback!, { CallSid: busy!.call_ref!, Status: 'busy' });
    expect(ended.statusCode, ended.body).toBe(200);
    const open = await exotelPost(t, second!.Url!, { CallSid: person!.call_ref!, To: person!.phone });
    expect(open.body).toContain('ABC Properties');
    const said = 'Yes please book an appointment for a site visit';
    await exotelPost(t, second!.Url!, { CallSid: person!.call_ref!, SpeechResult: said });
    await exotelPost(t, second!.StatusCallback!, { CallSid: person!.call_ref!, DialCallStatus: 'completed' });

    const outcomes = (await targetsOf(t, id)).map((r) => [r.phone, r.outcome]);
    expect(outcomes).toEqual([
      ['+919876543213', 'busy'],
      ['+919876543215', 'appointment_booked'],
    ]);
    const stats = await t.app.inject({
      method: 'GET',
      url: `/api/campaigns/${id}/stats`,
      headers: { 'x-api-key': tenant.apiKey },
    });
    expect(stats.json()).toMatchObject({ leads_called: 2, appointments_booked: 1, leads_qualified: 1 });
  });
});
