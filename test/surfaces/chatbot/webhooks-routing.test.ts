import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signMeta } from '../../../src/channels/whatsapp.js';
import { startTestApp, type TestApp } from '../../helpers/app.js';
import { dialects } from '../../helpers/db.js';
import { tenantFootprint } from '../../helpers/isolation.js';

type Tenant = Awaited<ReturnType<TestApp['createTenant']>>;

let seq = 0;
const uniq = () => `${Date.now()}${(seq += 1)}`;

/** Spec D's messaging webhooks find their tenant through the routes its configuration claims. */
describe.each(dialects)('spec D webhook routing on $label', ({ dialect, skip }) => {
  let t: TestApp;
  beforeAll(async () => {
    if (!skip) t = await startTestApp({ dialect });
  });
  afterAll(async () => {
    if (!skip) await t.close();
  });

  const put = (tenant: Tenant, configuration: Record<string, unknown>) =>
    t.app.inject({
      method: 'PUT',
      url: `/api/v2/tenants/${tenant.id}/config`,
      headers: { 'x-api-key': tenant.apiKey },
      payload: { configuration },
    });
  const whatsapp = (phoneNumberId: string, secret: string) => {
    const raw = JSON.stringify({
      object: 'whatsapp_business_account',
      entry: [
        {
          id: 'WABA',
          changes: [
            {
              field: 'messages',
              value: {
                messaging_product: 'whatsapp',
                metadata: { phone_number_id: phoneNumberId },
                contacts: [{ profile: { name: 'Kim' }, wa_id: '15550001111' }],
                messages: [
                  {
                    from: '15550001111',
                    id: `wamid.${uniq()}`,
                    timestamp: String(Math.floor(Date.now() / 1000)),
                    type: 'text',
                    text: { body: 'hello' },
                  },
                ],
              },
            },
          ],
        },
      ],
    });
    return t.app.inject({
      method: 'POST',
      url: '/api/v2/webhooks/whatsapp',
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': signMeta(secret, raw) },
      payload: raw,
    });
  };
  const telegram = (secret: string) =>
    t.app.inject({
      method: 'POST',
      url: '/api/v2/webhooks/telegram',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret },
      payload: {
        update_id: Number(uniq().slice(-9)),
        message: {
          message_id: 1,
          date: Math.floor(Date.now() / 1000),
          chat: { id: 99, type: 'private' },
          from: { id: 99, first_name: 'Kim', is_bot: false },
          text: 'hi',
        },
      },
    });
  const inboundOf = async (tenantId: string) =>
    (
      await t.deps.database.db
        .selectFrom('messages')
        .select('id')
        .where('tenant_id', '=', tenantId)
        .where('direction', '=', 'inbound')
        .execute()
    ).length;

  it.skipIf(skip)(
    "routes a number to its tenant, follows a change of number, and never routes one tenant's key to another",
    async () => {
      const pnA = `PN_A_${uniq()}`;
      const pnB = `PN_B_${uniq()}`;
      const a = await t.createTenant({
        plan: 'enterprise',
        configuration: {
          channels: {
            whatsapp: { phone_number_id: pnA, app_secret: 'secret-a' },
            telegram: { secret_token: `tg_a_${uniq()}` },
          },
        },
      });
      const tgB = `tg_b_${uniq()}`;
      const b = await t.createTenant({
        plan: 'enterprise',
        configuration: {
          channels: { whatsapp: { phone_number_id: pnB, app_secret: 'secret-b' }, telegram: { secret_token: tgB } },
        },
      });

      expect((await whatsapp(pnA, 'secret-a')).statusCode).toBe(200);
      expect(await inboundOf(a.id)).toBe(1);
      // B's secret on A's number: the number decides the tenant, and B's secret is not A's.
      expect((await whatsapp(pnA, 'secret-b')).statusCode).toBe(401);
      expect((await telegram(tgB)).statusCode).toBe(200);
      expect(await inboundOf(b.id)).toBe(1);
      expect(await inboundOf(a.id)).toBe(1);

      const pnA2 = `PN_A2_${uniq()}`;
      expect((await put(a, { channels: { whatsapp: { phone_number_id: pnA2 } } })).statusCode).toBe(200);
      const old = await whatsapp(pnA, 'secret-a');
      expect(old.statusCode).toBe(401);
      expect(old.json()).toMatchObject({
        error: { code: 'INVALID_SIGNATURE', details: { reason: 'unknown_recipient' } },
      });
      expect((await whatsapp(pnA2, 'secret-a')).statusCode).toBe(200);
      expect(await inboundOf(a.id)).toBe(2);
    },
  );

  it.skipIf(skip)(
    "refuses a number another tenant routes by, in spec D's validation error naming the field",
    async () => {
      const held = `PN_HELD_${uniq()}`;
      const a = await t.createTenant({
        plan: 'enterprise',
        configuration: { channels: { whatsapp: { phone_number_id: held, app_secret: 'secret-a' } } },
      });
      const created = await t.app.inject({
        method: 'POST',
        url: '/api/v2/tenants',
        headers: t.adminHeaders,
        payload: { name: 'Copycat', configuration: { channels: { whatsapp: { phone_number_id: held } } } },
      });
      expect(created.statusCode).toBe(400);
      expect(created.json()).toMatchObject({
        status: 'error',
        error: {
          code: 'VALIDATION_ERROR',
          details: {
            field: 'configuration.channels.whatsapp.phone_number_id',
            reason: 'is already used by another tenant',
          },
        },
      });
      // Nothing says which tenant holds it.
      expect(created.body).not.toContain(a.id);

      const b = await t.createTenant({ plan: 'enterprise' });
      const res = await put(b, { channels: { whatsapp: { phone_number_id: held, app_secret: 'secret-b' } } });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({
        error: { code: 'VALIDATION_ERROR', details: { field: 'configuration.channels.whatsapp.phone_number_id' } },
      });
      expect((await whatsapp(held, 'secret-a')).statusCode).toBe(200);
      expect((await whatsapp(held, 'secret-b')).statusCode).toBe(401);
      expect(await inboundOf(b.id)).toBe(0);
    },
  );

  it.skipIf(skip)(
    "keeps each tenant's routes its own: deleting one tenant leaves another's routes as they were",
    async () => {
      const a = await t.createTenant({
        plan: 'enterprise',
        configuration: { channels: { messenger: { page_id: `PAGE_A_${uniq()}` } } },
      });
      const b = await t.createTenant({
        plan: 'enterprise',
        configuration: { channels: { messenger: { page_id: `PAGE_B_${uniq()}` } } },
      });
      const before = await tenantFootprint(t, a.id);
      expect(before.channel_routes).toHaveLength(1);
      expect((await tenantFootprint(t, b.id)).channel_routes).toHaveLength(1);
      expect(
        (await t.app.inject({ method: 'DELETE', url: `/api/v2/tenants/${b.id}`, headers: t.adminHeaders })).statusCode,
      ).toBeLessThan(300);
      expect((await tenantFootprint(t, b.id)).channel_routes).toEqual([]);
      expect((await tenantFootprint(t, a.id)).channel_routes).toEqual(before.channel_routes);
    },
  );
});
