import twilio from 'twilio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../helpers/app.js';
import { campaignAction, createCampaign, movableClock, targetsOf, uploadCsv } from '../../helpers/campaigns.js';
import { dialects } from '../../helpers/db.js';
import { startTwilioFake, type TwilioFake } from '../../fakes/twilio.fake.js';

const BASE = 'https://frontdesk.example.com';
const SID = `AC${'a1'.repeat(16)}`;
const TOKEN = 'twilio-auth-token-campaigns';

/** Posts a Twilio webhook to a URL we gave Twilio, signed as Twilio signs it. */
async function twilioPost(t: TestApp, url: string, fields: Record<string, string>, token = TOKEN) {
  return t.app.inject({
    method: 'POST',
    url: url.slice(BASE.length),
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': twilio.getExpectedTwilioSignature(token, url, fields),
    },
    payload: new URLSearchParams(fields).toString(),
  });
}

describe.each(dialects)('campaign calls through Twilio on $label', ({ dialect, skip }) => {
  let t: TestApp;
  let fake: TwilioFake;

  beforeAll(async () => {
    if (skip) return;
    fake = await startTwilioFake({ accountSid: SID, authToken: TOKEN });
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
    'places calls with the SDK and records outcomes from signed status callbacks and speech turns',
    async () => {
      const tenant = await t.createTenant({
        configuration: {
          channels: {
            twilio: { account_sid: SID, auth_token: TOKEN, phone_number: '+912240000000', api_base_url: fake.url },
          },
          campaigns: { dialer: 'twilio' },
        },
      });
      const { id } = await createCampaign(t, tenant.apiKey);
      await uploadCsv(t, tenant.apiKey, id, 'phone\n+919876543213\n+919876543215\n');
      await campaignAction(t, tenant.apiKey, id, 'start');
      expect(await t.deps.services.campaigns.dialDue(tenant.id, id)).toMatchObject({ dialed: 2 });

      expect(fake.violations).toEqual([]);
      expect(fake.requests).toHaveLength(2);
      const sent = fake.requests[0]!.body as Record<string, string>;
      expect(sent).toMatchObject({ To: '+919876543213', From: '+912240000000', MachineDetection: 'Enable' });
      expect(sent.Url).toMatch(new RegExp(`^${BASE}/api/webhooks/twilio/incoming\\?business_id=`));
      expect(sent.StatusCallback).toContain('event=status');

      const [machine, person] = await targetsOf(t, id);
      const common = { AccountSid: SID, From: '+912240000000' };
      // The first number's call reached voicemail.
      const status = await twilioPost(
        t,
        `${BASE}${new URL(sent.StatusCallback!).pathname}${new URL(sent.StatusCallback!).search}`,
        {
          ...common,
          CallSid: machine!.call_ref!,
          To: machine!.phone,
          CallStatus: 'completed',
          AnsweredBy: 'machine_start',
        },
      );
      expect(status.statusCode, status.body).toBe(200);

      // The second number's callee answers, hears the script, and asks for a visit.
      const second = fake.requests[1]!.body as Record<string, string>;
      const open = await twilioPost(t, second.Url!, { ...common, CallSid: person!.call_ref!, To: person!.phone });
      expect(open.body).toContain('ABC Properties');
      const turn = await twilioPost(t, second.Url!, {
        ...common,
        CallSid: person!.call_ref!,
        To: person!.phone,
        SpeechResult: 'Yes please book an appointment for a site visit',
      });
      expect(turn.statusCode, turn.body).toBe(200);
      expect(turn.body).toContain('<Gather');
      const forged = await twilioPost(
        t,
        second.StatusCallback!,
        { ...common, CallSid: person!.call_ref!, CallStatus: 'completed' },
        'wrong',
      );
      expect(forged.statusCode).toBe(401);
      await twilioPost(t, second.StatusCallback!, {
        ...common,
        CallSid: person!.call_ref!,
        To: person!.phone,
        CallStatus: 'completed',
        AnsweredBy: 'human',
      });

      const outcomes = (await targetsOf(t, id)).map((r) => [r.phone, r.outcome, r.state]);
      expect(outcomes).toEqual([
        ['+919876543213', 'voicemail', 'done'],
        ['+919876543215', 'appointment_booked', 'done'],
      ]);
    },
  );
});
