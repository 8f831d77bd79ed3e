import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clock } from '../../../src/lib/clock.js';
import { newToken } from '../../../src/lib/ids.js';
import { signTimestamped } from '../../../src/channels/callrail.js';
import { startTestApp, type TestApp } from '../../helpers/app.js';
import { dialects } from '../../helpers/db.js';

type Tenant = Awaited<ReturnType<TestApp['createTenant']>>;
type Body = ReturnType<typeof JSON.parse>;

const HOUR_MS = 3_600_000;
let sequence = 0;
const callId = () => `CALGRACE${Date.now()}${(sequence += 1)}`;

for (const { dialect, label, skip } of dialects) {
  describe.skipIf(skip)(`webhook-secret rotation grace window on ${label}`, () => {
    let t: TestApp;
    // Moved forward by hand to step past grace windows without sleeping; signatures are stamped with real time.
    let offsetMs = 0;
    const clock: Clock = { now: () => new Date(Date.now() + offsetMs) };

    beforeAll(async () => {
      t = await startTestApp({ dialect, clock });
    });
    afterAll(async () => {
      await t.close();
    });

    const createTenant = (security?: Record<string, unknown>) =>
      t.createTenant({ plan: 'enterprise', ...(security ? { configuration: { security } } : {}) });
    /** A spec A webhook for `tenant`, signed with `secret`. */
    const signed = (tenant: Tenant, secret: string) => {
      const raw = JSON.stringify({ call_id: callId(), tenant_id: tenant.id });
      const timestamp = Math.floor(Date.now() / 1000);
      return t.app.inject({
        method: 'POST',
        url: '/v1/callrail/webhook',
        headers: {
          'content-type': 'application/json',
          'x-timestamp': String(timestamp),
          'x-callrail-signature': signTimestamped(secret, timestamp, raw),
        },
        payload: raw,
      });
    };
    const expectRefused = async (tenant: Tenant, secret: string) => {
      const res = await signed(tenant, secret);
      expect(res.statusCode, res.body).toBe(401);
      expect(res.json<Body>()).toMatchObject({ success: false, error: { code: 'INVALID_SIGNATURE' } });
    };
    const rotate = async (tenant: Tenant): Promise<string> => {
      const res = await t.app.inject({
        method: 'POST',
        url: `/api/v2/tenants/${tenant.id}/credentials/rotate`,
        headers: t.adminHeaders,
        payload: { credential: 'webhook_secret' },
      });
      expect(res.statusCode, res.body).toBe(200);
      return res.json<{ data: { value: string } }>().data.value;
    };

    it('accepts the old secret and the new one within the default 24 h, and refuses the old one after', async () => {
      const tenant = await createTenant();
      const old = tenant.credentials.webhook_secret;
      const fresh = await rotate(tenant);
      expect((await signed(tenant, old)).statusCode).toBe(200);
      expect((await signed(tenant, fresh)).statusCode).toBe(200);
      offsetMs += 23 * HOUR_MS;
      expect((await signed(tenant, old)).statusCode).toBe(200);
      offsetMs += HOUR_MS + 1;
      await expectRefused(tenant, old);
      expect((await signed(tenant, fresh)).statusCode).toBe(200);
    });

    it('follows the window the tenant sets', async () => {
      const tenant = await createTenant({ webhook_secret_grace_hours: 2 });
      const old = tenant.credentials.webhook_secret;
      await rotate(tenant);
      offsetMs += HOUR_MS;
      expect((await signed(tenant, old)).statusCode).toBe(200);
      offsetMs += HOUR_MS + 1;
      await expectRefused(tenant, old);
    });

    it('refuses the old secret at once with a grace window of 0', async () => {
      const tenant = await createTenant({ webhook_secret_grace_hours: 0 });
      const old = tenant.credentials.webhook_secret;
      const fresh = await rotate(tenant);
      await expectRefused(tenant, old);
      expect((await signed(tenant, fresh)).statusCode).toBe(200);
    });

    it('keeps only the secret just replaced: rotating again retires the one before it', async () => {
      const tenant = await createTenant();
      const first = tenant.credentials.webhook_secret;
      const second = await rotate(tenant);
      const third = await rotate(tenant);
      await expectRefused(tenant, first);
      expect((await signed(tenant, second)).statusCode).toBe(200);
      expect((await signed(tenant, third)).statusCode).toBe(200);
    });

    it('always refuses a random secret, before and after a rotation', async () => {
      const tenant = await createTenant();
      await expectRefused(tenant, newToken('whsec_'));
      await rotate(tenant);
      await expectRefused(tenant, newToken('whsec_'));
    });

    it("never verifies a tenant's webhook with another tenant's old secret", async () => {
      const a = await createTenant();
      const b = await createTenant();
      const bOld = b.credentials.webhook_secret;
      await rotate(b);
      await rotate(a);
      expect((await signed(b, bOld)).statusCode).toBe(200);
      await expectRefused(a, bOld);
    });

    it.each([[-1], [169], ['24']])('refuses a grace window of %j with the validation envelope', async (hours) => {
      const tenant = await createTenant();
      const res = await t.app.inject({
        method: 'PUT',
        url: `/api/v2/tenants/${tenant.id}/config`,
        headers: { 'x-api-key': tenant.apiKey },
        payload: { configuration: { security: { webhook_secret_grace_hours: hours } } },
      });
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json<Body>().error.details).toMatchObject({
        field: 'configuration.security.webhook_secret_grace_hours',
      });
    });
  });
}
