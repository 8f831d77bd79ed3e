import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clock } from '../../../src/lib/clock.js';
import { startTestApp, type TestApp } from '../../helpers/app.js';
import { dialects } from '../../helpers/db.js';
import { itIsolatesTenants } from '../../helpers/isolation.js';

type Tenant = Awaited<ReturnType<TestApp['createTenant']>>;
type Body = ReturnType<typeof JSON.parse>;

const key = (tenant: Tenant) => ({ 'x-api-key': tenant.apiKey });

/** A buyer ready to sign: the rubric's HOT tier. */
const hotQualify = {
  email: 'priya@skyline-realty.in',
  company: 'Skyline Realty',
  name: 'Priya Nair',
  phone: '+919812345670',
  message:
    'We are a 120-person brokerage evaluating lead scoring software. Budget approved at $40,000 this quarter; we need a demo this week and want to sign by end of month.',
};

for (const { dialect, label, skip } of dialects) {
  describe.skipIf(skip)(`spec B leads on ${label}`, () => {
    let t: TestApp;
    // Mid-minute, so a test's requests never straddle a rate-limit window.
    const clock: Clock & { at: number } = { at: Date.parse('2026-12-07T10:00:05Z'), now: () => new Date(clock.at) };
    let phoneSeq = 0;
    const nextPhone = () => `+9198765${String(43210 + ++phoneSeq).padStart(5, '0')}`;

    beforeAll(async () => {
      t = await startTestApp({ dialect, clock });
    });
    afterAll(async () => t.close());

    /** Tenants default to enterprise here, so the tier limits only bite where a test asks for them. */
    const tenant = (plan = 'enterprise') => t.createTenant({ plan });
    const create = (owner: Tenant, payload: object, url = '/api/leads/') =>
      t.app.inject({ method: 'POST', url, headers: key(owner), payload });
    const list = (owner: Tenant, query = '') =>
      t.app.inject({ method: 'GET', url: `/api/leads/${query}`, headers: key(owner) });

    it('creates a lead scored by the engine and answers 201 with spec B’s shape', async () => {
      const owner = await tenant();
      const res = await create(owner, {
        company_name: 'ABC Solutions',
        contact_name: 'Rahul Sharma',
        phone: '+919876543210',
        email: 'rahul@abc.com',
        city: 'Mumbai',
        category: 'Real Estate',
        niche: 'real_estate',
      });
      expect(res.statusCode, res.body).toBe(201);
      const body: Body = res.json();
      expect(Object.keys(body).sort()).toEqual(['created_at', 'id', 'lead_score', 'status']);
      expect(body).toMatchObject({ id: expect.stringMatching(/^lead_/), status: 'new' });
      expect(body.lead_score).toBeGreaterThan(0);

      const got = await t.app.inject({ method: 'GET', url: `/api/leads/${body.id}`, headers: key(owner) });
      expect(got.statusCode).toBe(200);
      expect(got.json()).toMatchObject({
        id: body.id,
        company_name: 'ABC Solutions',
        contact_name: 'Rahul Sharma',
        phone: '+919876543210',
        email: 'rahul@abc.com',
        city: 'Mumbai',
        niche: 'real_estate',
        category: 'Real Estate',
        status: 'new',
        lead_score: body.lead_score,
        created_at: body.created_at,
      });
    });

    it('answers on the path without the trailing slash too', async () => {
      const owner = await tenant();
      const res = await create(owner, { company_name: 'Test Company', phone: nextPhone() }, '/api/leads');
      expect(res.statusCode, res.body).toBe(201);
      const listed = await t.app.inject({ method: 'GET', url: '/api/leads', headers: key(owner) });
      expect(listed.json<Body[]>().map((l) => l.id)).toEqual([res.json().id]);
    });

    it('shows here, with its score, a lead spec E qualified; and spec E reads a lead made here', async () => {
      const owner = await tenant();
      const qualified = await t.app.inject({
        method: 'POST',
        url: '/api/qualify',
        headers: key(owner),
        payload: hotQualify,
      });
      expect(qualified.statusCode, qualified.body).toBe(200);
      const q: Body = qualified.json();
      const hot = (await list(owner, '?is_hot_lead=true')).json<Body[]>();
      expect(hot).toEqual([
        expect.objectContaining({ id: q.id, lead_score: q.score, is_hot_lead: q.tier === 'HOT', status: 'new' }),
      ]);
      expect(q.tier).toBe('HOT');

      const made = (await create(owner, { company_name: 'Coastal Homes', phone: nextPhone() })).json();
      const inE = await t.app.inject({ method: 'GET', url: `/api/qualify/${made.id}`, headers: key(owner) });
      expect(inE.statusCode, inE.body).toBe(200);
      expect(inE.json()).toMatchObject({ id: made.id, company: 'Coastal Homes', score: made.lead_score });
      expect(inE.json().score_history).toHaveLength(1);
    });

    it('filters by status, city, niche and hotness, newest first, with limit and offset', async () => {
      const owner = await tenant();
      const ids: string[] = [];
      for (const [city, niche] of [
        ['Mumbai', 'real_estate'],
        ['Pune', 'real_estate'],
        ['Mumbai', 'solar'],
      ] as const) {
        ids.push(
          (await create(owner, { phone: nextPhone(), city, niche, company_name: `${city} ${niche}` })).json().id,
        );
        clock.at += 1000;
      }
      const idsOf = async (query: string) => (await list(owner, query)).json<Body[]>().map((l) => l.id);
      expect(await idsOf('')).toEqual([ids[2], ids[1], ids[0]]);
      expect(await idsOf('?city=Mumbai')).toEqual([ids[2], ids[0]]);
      expect(await idsOf('?niche=real_estate&city=Pune')).toEqual([ids[1]]);
      expect(await idsOf('?limit=1&offset=1')).toEqual([ids[1]]);
      expect(await idsOf('?is_hot_lead=false')).toHaveLength(3);
      expect(await idsOf('?is_hot_lead=true')).toEqual([]);

      const put = await t.app.inject({
        method: 'PUT',
        url: `/api/leads/${ids[0]}`,
        headers: key(owner),
        payload: { status: 'contacted' },
      });
      expect(put.json()).toMatchObject({ status: 'contacted' });
      expect(await idsOf('?status=contacted')).toEqual([ids[0]]);
      expect(await idsOf('?status=new')).toEqual([ids[2], ids[1]]);
    });

    it('updates the fields named and maps spec B’s statuses to the domain’s', async () => {
      const owner = await tenant();
      const id = (await create(owner, { phone: nextPhone(), company_name: 'Old Name', city: 'Delhi' })).json().id;
      const put = (payload: object) =>
        t.app.inject({ method: 'PUT', url: `/api/leads/${id}`, headers: key(owner), payload });
      const res = await put({ company_name: 'New Name', city: null, status: 'qualified', email: 'owner@newname.in' });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({
        company_name: 'New Name',
        city: null,
        status: 'qualified',
        email: 'owner@newname.in',
      });
      // Spec E shows the domain's status: spec B's `qualified` is an interested person, `converted` a won deal.
      const inE = async () =>
        (await t.app.inject({ method: 'GET', url: `/api/qualify/${id}`, headers: key(owner) })).json().status;
      expect(await inE()).toBe('interested');
      expect((await put({ status: 'converted' })).json().status).toBe('converted');
      expect(await inE()).toBe('won');
      const empty = await put({});
      expect(empty.statusCode).toBe(422);
      expect(empty.json().error.code).toBe('VALIDATION_ERROR');
    });

    it('keeps one lead per phone: a second create and an edit onto a taken phone answer 409', async () => {
      const owner = await tenant();
      const phone = nextPhone();
      const first = (await create(owner, { phone, company_name: 'First' })).json();
      const again = await create(owner, { phone, company_name: 'Second' });
      expect(again.statusCode).toBe(409);
      expect(again.json().error).toMatchObject({
        code: 'CONFLICT',
        details: { lead_id: first.id, errors: [{ field: 'phone', type: 'duplicate' }] },
      });
      const other = (await create(owner, { phone: nextPhone(), email: 'b@other.in' })).json();
      const onto = await t.app.inject({
        method: 'PUT',
        url: `/api/leads/${other.id}`,
        headers: key(owner),
        payload: { phone },
      });
      expect(onto.statusCode).toBe(409);
      const sameEmail = await create(owner, { phone: nextPhone(), email: 'b@other.in' });
      expect(sameEmail.statusCode).toBe(409);
      expect(sameEmail.json().error.details.lead_id).toBe(other.id);
      expect((await list(owner)).json()).toHaveLength(2);
    });

    it('refuses a phone that is not E.164 with 422 naming the field', async () => {
      const owner = await tenant();
      for (const phone of ['9876543210', '+91 12', 'call me']) {
        const res = await create(owner, { phone, company_name: 'X' });
        expect(res.statusCode, phone).toBe(422);
        expect(res.json().error).toMatchObject({
          code: 'VALIDATION_ERROR',
          details: { errors: [expect.objectContaining({ field: 'phone', message: expect.any(String) })] },
          request_id: res.headers['x-request-id'],
        });
      }
      const badQuery = await list(owner, '?limit=0&is_hot_lead=maybe');
      expect(badQuery.statusCode).toBe(422);
    });

    it('deletes the lead but not the person behind it', async () => {
      const owner = await tenant();
      const phone = nextPhone();
      const id = (await create(owner, { phone, contact_name: 'Meera' })).json().id;
      const del = await t.app.inject({ method: 'DELETE', url: `/api/leads/${id}`, headers: key(owner) });
      expect(del.statusCode).toBe(200);
      expect(del.json()).toEqual({ id, deleted: true });
      const gone = await t.app.inject({ method: 'GET', url: `/api/leads/${id}`, headers: key(owner) });
      expect(gone.statusCode).toBe(404);
      expect(gone.json().error.code).toBe('NOT_FOUND');
      const again = await t.app.inject({ method: 'DELETE', url: `/api/leads/${id}`, headers: key(owner) });
      expect(again.statusCode).toBe(404);
      const contacts = await t.deps.database.db
        .selectFrom('contacts')
        .select('id')
        .where('tenant_id', '=', owner.id)
        .execute();
      expect(contacts).toHaveLength(1);
      // The phone is free again.
      expect((await create(owner, { phone })).statusCode).toBe(201);
    });

    it('answers 401 AUTHENTICATION_ERROR without a key or with an unknown one', async () => {
      for (const headers of [{}, { 'x-api-key': 'fd_live_not_a_key' }]) {
        const res = await t.app.inject({ method: 'GET', url: '/api/leads/', headers });
        expect(res.statusCode).toBe(401);
        expect(res.json().error).toMatchObject({ code: 'AUTHENTICATION_ERROR', request_id: expect.any(String) });
      }
    });

    it('lists only the tenant’s own leads', async () => {
      const a = await tenant();
      const b = await tenant();
      await create(a, { phone: nextPhone() });
      expect((await list(b)).json()).toEqual([]);
    });

    itIsolatesTenants(
      () => t,
      [
        { method: 'GET', path: '/api/leads/:object', createObject: (app, owner) => leadOf(app, owner, nextPhone()) },
        {
          method: 'PUT',
          path: '/api/leads/:object',
          payload: { status: 'lost' },
          createObject: (app, owner) => leadOf(app, owner, nextPhone()),
        },
        { method: 'DELETE', path: '/api/leads/:object', createObject: (app, owner) => leadOf(app, owner, nextPhone()) },
      ],
    );
  });
}

async function leadOf(t: TestApp, owner: Tenant, phone: string): Promise<string> {
  const res = await t.app.inject({ method: 'POST', url: '/api/leads/', headers: key(owner), payload: { phone } });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ id: string }>().id;
}
