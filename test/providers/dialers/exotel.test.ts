import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DialError } from '../../../src/providers/dialers/dialer.js';
import { createExotelDialer } from '../../../src/providers/dialers/exotel.js';
import { createSafeHttp } from '../../../src/providers/http/safe-fetch.js';
import { startExotelFake, type ExotelFake } from '../../fakes/exotel.fake.js';

const account = { accountSid: 'frontdesk1', apiKey: 'exo-key', apiToken: 'exo-token', callerId: '02240000000' };
const request = {
  to: '+919876543215',
  script: { clientName: 'ABC Properties', clientService: 'Premium Apartments', niche: 'real_estate' },
  answerUrl: 'https://frontdesk.example.com/api/webhooks/exotel/incoming?business_id=t1&target=ctgt_1',
  statusUrl: 'https://frontdesk.example.com/api/webhooks/exotel/incoming?business_id=t1&target=ctgt_1&event=status',
};

describe('the Exotel dialer', () => {
  let fake: ExotelFake;
  beforeAll(async () => {
    fake = await startExotelFake({ sid: account.accountSid, apiKey: account.apiKey, apiToken: account.apiToken });
  });
  afterAll(() => fake.close());

  it('posts a form to the Connect API with Basic auth and returns the call Sid', async () => {
    const dialer = createExotelDialer(createSafeHttp({ allowPrivate: true }), { ...account, baseUrl: fake.url });
    const result = await dialer.dial(request);
    expect(result.callRef).toMatch(/^[0-9a-f]{32}$/);
    expect(fake.requests.at(-1)).toMatchObject({
      path: '/v1/Accounts/frontdesk1/Calls/connect.json',
      form: {
        From: '+919876543215',
        CallerId: '02240000000',
        Url: request.answerUrl,
        StatusCallback: request.statusUrl,
      },
    });
  });

  it('reports refused credentials as a dial error that retrying will not mend', async () => {
    const dialer = createExotelDialer(createSafeHttp({ allowPrivate: true }), {
      ...account,
      apiToken: 'wrong',
      baseUrl: fake.url,
    });
    const err = await dialer.dial(request).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DialError);
    expect((err as DialError).retryable).toBe(false);
  });
});
