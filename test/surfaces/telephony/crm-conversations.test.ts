import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../helpers/app.js';
import { seedConversation } from '../../helpers/conversations.js';
import { dialects } from '../../helpers/db.js';
import { itIsolatesTenants } from '../../helpers/isolation.js';

type Tenant = Awaited<ReturnType<TestApp['createTenant']>>;
type Json = Record<string, unknown>;

describe.each(dialects)('spec C CRM conversations and timeline on $label', ({ dialect, skip }) => {
  let t: TestApp;
  beforeAll(async () => {
    if (!skip) t = await startTestApp({ dialect });
  });
  afterAll(async () => {
    if (!skip) await t.close();
  });

  const crm = (tenant: Tenant) => ({ 'x-api-key': tenant.apiKey, 'x-owner-token': tenant.credentials.owner_token });
  const call = (tenant: Tenant, method: 'GET' | 'PATCH' | 'POST', url: string, payload?: object) =>
    t.app.inject({ method, url, headers: crm(tenant), ...(payload ? { payload } : {}) });
  let phone = 2000;

  /** A customer who wrote on the web, texted by SMS and has two appointments. */
  const customerWithHistory = async (tenant: Tenant) => {
    phone += 1;
    const db = t.deps.database.db;
    const web = await seedConversation(db, tenant.id, {
      channel: 'web',
      createdAt: '2025-06-01T10:00:00.000Z',
      contact: { phone: `+1415555${phone}` },
      messages: [{ sender: 'customer', text: 'My heater broke' }],
    });
    const customer = await call(tenant, 'POST', '/v1/crm/customers', { name: 'Ana', phone: `+1415555${phone}` });
    const customerId = customer.json<{ id: string }>().id;
    const sms = await seedConversation(db, tenant.id, {
      channel: 'sms',
      createdAt: '2025-06-05T10:00:00.000Z',
      messages: [{ sender: 'customer', text: 'Running late?' }],
    });
    await db.updateTable('conversations').set({ contact_id: customerId }).where('id', '=', sms).execute();
    const booking = (start: string) =>
      call(tenant, 'POST', '/v1/crm/appointments', { customer_id: customerId, start_time: start });
    const first = (await booking('2025-06-03T15:00:00Z')).json<{ id: string }>().id;
    const second = (await booking('2025-06-10T15:00:00Z')).json<{ id: string }>().id;
    return { customerId, web, sms, first, second };
  };

  it.skipIf(skip)(
    "interleaves a customer's appointments and conversations of every channel, newest first",
    async () => {
      const tenant = await t.createTenant();
      const h = await customerWithHistory(tenant);
      const res = await call(tenant, 'GET', `/v1/crm/customers/${h.customerId}/timeline`);
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json<{ customer_id: string; items: Json[] }>();
      expect(body.customer_id).toBe(h.customerId);
      expect(
        body.items.map((i) => [i.type, i.timestamp, ((i.appointment ?? i.conversation) as { id: string }).id]),
      ).toEqual([
        ['appointment', '2025-06-10T15:00:00.000Z', h.second],
        ['conversation', '2025-06-05T10:01:00.000Z', h.sms],
        ['appointment', '2025-06-03T15:00:00.000Z', h.first],
        ['conversation', '2025-06-01T10:01:00.000Z', h.web],
      ]);
      expect((body.items[1]!.conversation as Json).channel).toBe('sms');
    },
  );

  it.skipIf(skip)('lists conversations with filters and reads one with its messages', async () => {
    const tenant = await t.createTenant();
    const h = await customerWithHistory(tenant);
    await seedConversation(t.deps.database.db, tenant.id, { channel: 'whatsapp', createdAt: '2025-06-07T10:00:00Z' });
    const ids = async (url: string) => {
      const res = await call(tenant, 'GET', url);
      expect(res.statusCode, res.body).toBe(200);
      return res.json<{ id: string }[]>().map((c) => c.id);
    };
    expect(await ids('/v1/crm/conversations')).toHaveLength(3);
    expect(await ids('/v1/crm/conversations?channel=sms')).toEqual([h.sms]);
    expect(await ids(`/v1/crm/conversations?customer_id=${h.customerId}`)).toEqual([h.sms, h.web]);
    const one = await call(tenant, 'GET', `/v1/crm/conversations/${h.web}`);
    expect(one.statusCode, one.body).toBe(200);
    expect(one.json()).toMatchObject({
      id: h.web,
      customer_id: h.customerId,
      channel: 'web',
      messages: [{ direction: 'inbound', sender: 'customer', text: 'My heater broke' }],
      total_messages: 1,
      qa: { flags: [], tags: [], outcome: null, notes: null, reviewed_at: null },
    });
  });

  it.skipIf(skip)('records QA flags, tags, outcome and notes, and clears them with null', async () => {
    const tenant = await t.createTenant();
    const id = await seedConversation(t.deps.database.db, tenant.id, {});
    const review = await call(tenant, 'PATCH', `/v1/crm/conversations/${id}/qa`, {
      flags: ['missed_booking'],
      tags: ['pricing'],
      outcome: 'lost',
      notes: 'Asked twice for a quote.',
    });
    expect(review.statusCode, review.body).toBe(200);
    expect(review.json().qa).toMatchObject({
      flags: ['missed_booking'],
      tags: ['pricing'],
      outcome: 'lost',
      notes: 'Asked twice for a quote.',
      reviewed_at: expect.any(String),
    });
    const partial = await call(tenant, 'PATCH', `/v1/crm/conversations/${id}/qa`, { notes: null });
    expect(partial.json().qa).toMatchObject({ flags: ['missed_booking'], outcome: 'lost', notes: null });
    const read = await call(tenant, 'GET', `/v1/crm/conversations/${id}`);
    expect(read.json().qa).toMatchObject({ tags: ['pricing'], notes: null });
  });

  it.skipIf(skip)('answers 401, 403, 404 and 422 in spec C’s envelope', async () => {
    const tenant = await t.createTenant();
    const id = await seedConversation(t.deps.database.db, tenant.id, {});
    const cases: [Promise<{ statusCode: number; body: string }>, number][] = [
      [t.app.inject({ method: 'GET', url: '/v1/crm/conversations' }), 401],
      [t.app.inject({ method: 'GET', url: `/v1/crm/customers/x/timeline`, headers: { 'x-api-key': 'nope' } }), 401],
      [t.app.inject({ method: 'GET', url: `/v1/crm/conversations/${id}`, headers: t.adminHeaders }), 403],
      [call(tenant, 'GET', '/v1/crm/conversations/conv_nope'), 404],
      [call(tenant, 'PATCH', '/v1/crm/conversations/conv_nope/qa', { outcome: 'won' }), 404],
      [call(tenant, 'GET', '/v1/crm/customers/contact_nope/timeline'), 404],
      [call(tenant, 'PATCH', `/v1/crm/conversations/${id}/qa`, {}), 422],
      [call(tenant, 'PATCH', `/v1/crm/conversations/${id}/qa`, { flags: 'bad' }), 422],
      [call(tenant, 'GET', '/v1/crm/conversations?channel=fax'), 422],
    ];
    for (const [pending, status] of cases) {
      const res = await pending;
      expect(res.statusCode, res.body).toBe(status);
      expect(JSON.parse(res.body)).toHaveProperty('detail');
    }
  });

  describe.skipIf(skip)('tenant isolation', () => {
    const ownedConversation = (_t: TestApp, owner: Tenant) => seedConversation(t.deps.database.db, owner.id, {});
    const ownedCustomer = async (_t: TestApp, owner: Tenant) => (await customerWithHistory(owner)).customerId;
    itIsolatesTenants(
      () => t,
      [
        { method: 'GET', path: '/v1/crm/conversations/:object', createObject: ownedConversation },
        {
          method: 'PATCH',
          path: '/v1/crm/conversations/:object/qa',
          payload: { outcome: 'won' },
          createObject: ownedConversation,
        },
        { method: 'GET', path: '/v1/crm/customers/:object/timeline', createObject: ownedCustomer },
      ],
    );

    it.skipIf(skip)("lists none of another tenant's conversations", async () => {
      const a = await t.createTenant();
      const b = await t.createTenant();
      const h = await customerWithHistory(a);
      expect((await call(b, 'GET', '/v1/crm/conversations')).json()).toEqual([]);
      expect((await call(b, 'GET', `/v1/crm/conversations?customer_id=${h.customerId}`)).json()).toEqual([]);
    });
  });
});
