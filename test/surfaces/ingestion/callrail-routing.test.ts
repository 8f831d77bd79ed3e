import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signCallRail } from '../../../src/channels/callrail.js';
import { startTestApp, type TestApp } from '../../helpers/app.js';
import { dialects } from '../../helpers/db.js';

let seq = 0;
const uniq = () => `${Date.now()}${(seq += 1)}`;

/** CallRail's own webhook names a company, never our tenant: the company's route finds it. */
describe.each(dialects)('spec A CallRail routing on $label', ({ dialect, skip }) => {
  let t: TestApp;
  beforeAll(async () => {
    if (!skip) t = await startTestApp({ dialect });
  });
  afterAll(async () => {
    if (!skip) await t.close();
  });

  const native = (company: string, key: string) => {
    const raw = JSON.stringify({
      resource_id: `CAL${uniq()}`,
      company_id: company,
      customer_phone_number: '+15125550142',
    });
    return t.app.inject({
      method: 'POST',
      url: '/v1/callrail/webhook',
      headers: { 'content-type': 'application/json', signature: signCallRail(key, raw) },
      payload: raw,
    });
  };
  const requestsOf = async (tenantId: string) =>
    (await t.deps.database.db.selectFrom('ingestion_requests').select('id').where('tenant_id', '=', tenantId).execute())
      .length;

  it.skipIf(skip)(
    'finds the tenant by its company, follows a change of company, and refuses a company another tenant has',
    async () => {
      const company = `CO${uniq()}`;
      const a = await t.createTenant({
        plan: 'enterprise',
        configuration: { callrail_company_id: company, callrail: { signing_secret: 'key-a' } },
      });
      const b = await t.createTenant({ plan: 'enterprise', configuration: { callrail: { signing_secret: 'key-b' } } });
      expect((await native(company, 'key-a')).statusCode).toBe(200);
      expect(await requestsOf(a.id)).toBe(1);
      // B's key on A's company: A's key is the one checked.
      expect((await native(company, 'key-b')).statusCode).toBe(401);

      const claim = await t.app.inject({
        method: 'PUT',
        url: `/v1/tenants/${b.id}/config`,
        headers: { 'x-api-key': b.apiKey },
        payload: { callrail_company_id: company },
      });
      expect(claim.statusCode).toBe(400);
      expect(claim.json()).toMatchObject({ success: false, error: { code: 'VALIDATION_ERROR' } });
      expect(claim.body).toContain('callrail_company_id');

      const moved = `CO${uniq()}`;
      expect(
        (
          await t.app.inject({
            method: 'PUT',
            url: `/v1/tenants/${a.id}/config`,
            headers: { 'x-api-key': a.apiKey },
            payload: { callrail_company_id: moved },
          })
        ).statusCode,
      ).toBe(200);
      expect((await native(company, 'key-a')).statusCode).toBe(404);
      expect((await native(moved, 'key-a')).statusCode).toBe(200);
      expect(await requestsOf(a.id)).toBe(2);
      // The freed company is B's to take.
      expect(
        (
          await t.app.inject({
            method: 'PUT',
            url: `/v1/tenants/${b.id}/config`,
            headers: { 'x-api-key': b.apiKey },
            payload: { callrail_company_id: company },
          })
        ).statusCode,
      ).toBe(200);
      expect((await native(company, 'key-b')).statusCode).toBe(200);
      expect(await requestsOf(b.id)).toBe(1);
    },
  );
});
