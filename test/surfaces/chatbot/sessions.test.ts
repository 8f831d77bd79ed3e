import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Clock } from '../../../src/lib/clock.js';
import { startTestApp, type TestApp } from '../../helpers/app.js';
import { dialects } from '../../helpers/db.js';
import { itIsolatesTenants } from '../../helpers/isolation.js';

type Tenant = Awaited<ReturnType<TestApp['createTenant']>>;
type Body = ReturnType<typeof JSON.parse>;

/** Spec D's "Create New Session" example request. */
const specCreate = {
  channel: 'web',
  user_id: 'anonymous_visitor_123',
  initial_context: {
    page_url: 'https://mystore.com/products/widget-pro',
    referrer: 'https://google.com/search?q=premium+widgets',
    user_agent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64)',
    device_type: 'desktop',
    timezone: 'America/New_York',
  },
  session_config: { timeout_minutes: 30, enable_context_persistence: true },
};

/** Spec D's "Update Session Context" example request. */
const specContextUpdate = {
  context_updates: {
    current_page: 'https://mystore.com/cart',
    cart_items: [{ product_id: 'widget-pro', quantity: 2, price: 99.99 }],
    checkout_stage: 'cart_review',
  },
  append_to_history: { page_visits: 'https://mystore.com/cart', user_actions: 'added_to_cart' },
};

const MINUTE = 60_000;

describe.each(dialects)('chatbot session routes on $label', ({ dialect, skip }) => {
  let t: TestApp;
  let shift = 0;
  const clock: Clock = { now: () => new Date(Date.now() + shift) };

  beforeAll(async () => {
    if (!skip) t = await startTestApp({ dialect, clock });
  });
  afterAll(async () => {
    if (!skip) await t.close();
  });
  afterEach(() => {
    shift = 0;
  });

  const key = (tenant: Tenant) => ({ authorization: `Bearer ${tenant.apiKey}` });
  const create = async (
    tenant: Tenant,
    body: Record<string, unknown> = specCreate,
    headers: Record<string, string> = key(tenant),
  ): Promise<Body> => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v2/sessions', headers, payload: body });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().data;
  };
  const call = (
    tenant: Tenant,
    method: 'GET' | 'PUT' | 'POST' | 'DELETE',
    url: string,
    payload?: Record<string, unknown>,
    headers: Record<string, string> = key(tenant),
  ) => t.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });

  it.skipIf(skip)('creates an anonymous web session with the widget token, as the spec shows', async () => {
    const tenant = await t.createTenant();
    const before = clock.now().getTime();
    const s = await create(tenant, specCreate, { 'x-widget-token': tenant.credentials.widget_token });
    expect(s).toMatchObject({
      session_id: expect.stringMatching(/^sess_/),
      user_id: 'anonymous_visitor_123',
      channel: 'web',
      status: 'active',
      session_token: expect.stringMatching(/^st_/),
      context: { page_url: specCreate.initial_context.page_url, product_interest: 'widget-pro', visitor_type: 'new' },
    });
    expect(Date.parse(s.expires_at) - Date.parse(s.created_at)).toBe(30 * MINUTE);
    expect(Date.parse(s.created_at)).toBeGreaterThanOrEqual(before - 1000);
    // The same visitor again is a returning one.
    expect((await create(tenant)).context.visitor_type).toBe('returning');
  });

  describe('anonymous creation, as the document marks it "Optional"', () => {
    const SITE = 'https://mystore.com';
    const publicChat = (web: Record<string, unknown> = { public_chat: true, allowed_origins: [SITE] }) =>
      t.createTenant({ configuration: { channels: { web } } });
    const anonymous = (tenantId: string, headers: Record<string, string> = { origin: SITE }, remoteAddress?: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/v2/sessions',
        headers: { 'x-tenant-id': tenantId, ...headers },
        payload: specCreate,
        ...(remoteAddress ? { remoteAddress } : {}),
      });

    it.skipIf(skip)('opens a web session with only X-Tenant-ID from an allowed origin', async () => {
      const tenant = await publicChat();
      const res = await anonymous(tenant.id);
      expect(res.statusCode, res.body).toBe(201);
      const s = res.json().data;
      expect(s).toMatchObject({
        session_id: expect.stringMatching(/^sess_/),
        session_token: expect.stringMatching(/^st_/),
      });
      const read = await t.app.inject({
        method: 'GET',
        url: `/api/v2/sessions/${s.session_id}`,
        headers: { 'x-widget-token': tenant.credentials.widget_token, 'x-session-token': s.session_token },
      });
      expect(read.statusCode, read.body).toBe(200);
    });

    it.skipIf(skip)(
      'refuses a tenant without public chat, another origin, another channel and an unknown tenant',
      async () => {
        const closed = await t.createTenant();
        expect((await anonymous(closed.id)).statusCode).toBe(401);
        const tenant = await publicChat();
        const elsewhere = await anonymous(tenant.id, { origin: 'https://evil.example' });
        expect(elsewhere.statusCode).toBe(403);
        expect(elsewhere.json()).toMatchObject({ status: 'error', error: { code: 'FORBIDDEN' } });
        expect((await anonymous(tenant.id, {})).statusCode).toBe(403);
        const wa = await t.app.inject({
          method: 'POST',
          url: '/api/v2/sessions',
          headers: { 'x-tenant-id': tenant.id, origin: SITE },
          payload: { ...specCreate, channel: 'whatsapp' },
        });
        expect(wa.statusCode).toBe(403);
        const ghost = await anonymous('tenant_ghost');
        expect(ghost.statusCode).toBe(404);
        expect(ghost.json().error.code).toBe('TENANT_NOT_FOUND');
      },
    );

    it.skipIf(skip)('limits each address to ten sessions a minute', async () => {
      const tenant = await publicChat();
      for (let i = 0; i < 10; i++)
        expect((await anonymous(tenant.id, { origin: SITE }, '203.0.113.7')).statusCode).toBe(201);
      const over = await anonymous(tenant.id, { origin: SITE }, '203.0.113.7');
      expect(over.statusCode).toBe(429);
      expect(over.json().error.code).toBe('RATE_LIMITED');
      expect((await anonymous(tenant.id, { origin: SITE }, '203.0.113.8')).statusCode).toBe(201);
    });
  });

  it.skipIf(skip)('refuses the widget token for other channels and a request with no credential', async () => {
    const tenant = await t.createTenant();
    const wa = await t.app.inject({
      method: 'POST',
      url: '/api/v2/sessions',
      headers: { 'x-widget-token': tenant.credentials.widget_token },
      payload: { ...specCreate, channel: 'whatsapp' },
    });
    expect(wa.statusCode).toBe(403);
    const none = await t.app.inject({ method: 'POST', url: '/api/v2/sessions', payload: specCreate });
    expect(none.statusCode).toBe(401);
    expect(none.json()).toMatchObject({
      status: 'error',
      error: { code: 'UNAUTHORIZED' },
      meta: { api_version: 'v2' },
    });
  });

  it.skipIf(skip)('validates the body with field details', async () => {
    const tenant = await t.createTenant();
    for (const [payload, field] of [
      [{ channel: 'fax' }, 'channel'],
      [{ channel: 'web', session_config: { timeout_minutes: 0 } }, 'session_config.timeout_minutes'],
      [{ channel: 'web', initial_context: 'page' }, 'initial_context'],
    ] as const) {
      const res = await call(tenant, 'POST', '/api/v2/sessions', payload);
      expect(res.statusCode).toBe(400);
      expect(res.json().error).toMatchObject({ code: 'VALIDATION_ERROR', details: { field } });
    }
  });

  it.skipIf(skip)('reads a session with its conversations, messages and intent history', async () => {
    const tenant = await t.createTenant({ plan: 'enterprise' });
    const s = await create(tenant);
    const chat = await t.app.inject({
      method: 'POST',
      url: '/api/v2/chat/message',
      headers: key(tenant),
      payload: {
        message_id: `m_${s.session_id}`,
        session_id: s.session_id,
        user_id: 'anonymous_visitor_123',
        channel: 'web',
        content: { type: 'text', text: 'What are your opening hours?' },
      },
    });
    expect(chat.statusCode, chat.body).toBe(200);
    const conversationId = chat.json().data.conversation_id;
    const res = await call(tenant, 'GET', `/api/v2/sessions/${s.session_id}`);
    expect(res.statusCode).toBe(200);
    const got = res.json().data;
    expect(got).toMatchObject({
      session_id: s.session_id,
      user_id: 'anonymous_visitor_123',
      channel: 'web',
      status: 'active',
      created_at: s.created_at,
      last_activity: expect.any(String),
      expires_at: expect.any(String),
      conversation_count: 1,
      message_count: 2,
      context: {
        page_url: specCreate.initial_context.page_url,
        current_page: specCreate.initial_context.page_url,
        pages_visited: [specCreate.initial_context.page_url],
        interests: ['widget-pro'],
        intent_history: ['business_hours'],
        session_duration_minutes: 0,
      },
    });
    const conversation = await t.deps.database.db
      .selectFrom('conversations')
      .selectAll()
      .where('id', '=', conversationId)
      .executeTakeFirstOrThrow();
    expect(conversation.session_id).toBe(s.session_id);
    const session = await t.deps.database.db
      .selectFrom('chat_sessions')
      .selectAll()
      .where('id', '=', s.session_id)
      .executeTakeFirstOrThrow();
    expect(session.contact_id).toBe(conversation.contact_id);
    const missing = await call(tenant, 'GET', '/api/v2/sessions/sess_missing');
    expect(missing.statusCode).toBe(404);
  });

  it.skipIf(skip)(
    'deep-merges context updates, appends history and reports the fields that really changed',
    async () => {
      const tenant = await t.createTenant();
      const s = await create(tenant);
      const res = await call(tenant, 'PUT', `/api/v2/sessions/${s.session_id}/context`, specContextUpdate);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().data).toMatchObject({
        session_id: s.session_id,
        context_updated: true,
        updated_fields: ['current_page', 'cart_items', 'checkout_stage'],
        new_context: {
          current_page: 'https://mystore.com/cart',
          cart_items: specContextUpdate.context_updates.cart_items,
          checkout_stage: 'cart_review',
          pages_visited: [specCreate.initial_context.page_url, 'https://mystore.com/cart'],
          user_actions: ['added_to_cart'],
        },
      });

      const same = await call(tenant, 'PUT', `/api/v2/sessions/${s.session_id}/context`, {
        context_updates: { checkout_stage: 'cart_review', current_page: 'https://mystore.com/cart' },
      });
      expect(same.json().data).toMatchObject({ context_updated: false, updated_fields: [] });

      await call(tenant, 'PUT', `/api/v2/sessions/${s.session_id}/context`, {
        context_updates: { prefs: { theme: 'dark', lang: 'en' } },
      });
      const merged = await call(tenant, 'PUT', `/api/v2/sessions/${s.session_id}/context`, {
        context_updates: { prefs: { lang: 'fr' }, checkout_stage: null },
      });
      expect(merged.json().data.updated_fields).toEqual(['prefs', 'checkout_stage']);
      expect(merged.json().data.new_context.prefs).toEqual({ theme: 'dark', lang: 'fr' });
      expect(merged.json().data.new_context).not.toHaveProperty('checkout_stage');

      const read = await call(tenant, 'GET', `/api/v2/sessions/${s.session_id}/context`);
      expect(read.statusCode).toBe(200);
      expect(read.json().data).toMatchObject({
        session_id: s.session_id,
        status: 'active',
        context: {
          prefs: { theme: 'dark', lang: 'fr' },
          cart_items: specContextUpdate.context_updates.cart_items,
          pages_visited: [specCreate.initial_context.page_url, 'https://mystore.com/cart'],
        },
      });

      const empty = await call(tenant, 'PUT', `/api/v2/sessions/${s.session_id}/context`, {});
      expect(empty.statusCode).toBe(400);
      expect(empty.json().error.details.field).toBe('context_updates');
    },
  );

  it.skipIf(skip)('updates the session’s user, metadata and context', async () => {
    const tenant = await t.createTenant();
    const s = await create(tenant);
    const res = await call(tenant, 'PUT', `/api/v2/sessions/${s.session_id}`, {
      user_id: 'user_customer123',
      metadata: { plan: 'gold' },
      context: { device_type: 'mobile' },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().data).toMatchObject({
      session_id: s.session_id,
      user_id: 'user_customer123',
      metadata: { plan: 'gold' },
      context: { device_type: 'mobile', page_url: specCreate.initial_context.page_url },
    });
    const empty = await call(tenant, 'PUT', `/api/v2/sessions/${s.session_id}`, {});
    expect(empty.statusCode).toBe(400);
  });

  it.skipIf(skip)('extends the expiry by the minutes asked for', async () => {
    const tenant = await t.createTenant();
    const s = await create(tenant);
    const res = await call(tenant, 'POST', `/api/v2/sessions/${s.session_id}/extend`, {
      extend_by_minutes: 30,
      reason: 'active_conversation',
    });
    expect(res.statusCode, res.body).toBe(200);
    const data = res.json().data;
    expect(data).toEqual({
      session_id: s.session_id,
      previous_expiry: s.expires_at,
      new_expiry: new Date(Date.parse(s.expires_at) + 30 * MINUTE).toISOString(),
      extended_by_minutes: 30,
    });
    expect((await call(tenant, 'GET', `/api/v2/sessions/${s.session_id}`)).json().data.expires_at).toBe(
      data.new_expiry,
    );
    const bad = await call(tenant, 'POST', `/api/v2/sessions/${s.session_id}/extend`, { extend_by_minutes: 100_000 });
    expect(bad.statusCode).toBe(400);
  });

  it.skipIf(skip)('refuses changes to an expired session with 410 SESSION_EXPIRED but still shows it', async () => {
    const tenant = await t.createTenant();
    const s = await create(tenant);
    shift = 31 * MINUTE;
    const got = await call(tenant, 'GET', `/api/v2/sessions/${s.session_id}`);
    expect(got.json().data.status).toBe('expired');
    for (const [method, url, payload] of [
      ['PUT', `/api/v2/sessions/${s.session_id}/context`, specContextUpdate],
      ['PUT', `/api/v2/sessions/${s.session_id}`, { user_id: 'x' }],
      ['POST', `/api/v2/sessions/${s.session_id}/extend`, { extend_by_minutes: 5 }],
      ['DELETE', `/api/v2/sessions/${s.session_id}`, undefined],
    ] as const) {
      const res = await call(tenant, method, url, payload);
      expect(res.statusCode, `${method} ${url}`).toBe(410);
      expect(res.json()).toMatchObject({
        status: 'error',
        error: {
          code: 'GONE',
          details: { reason: 'SESSION_EXPIRED', session_id: s.session_id, expired_at: s.expires_at },
        },
        meta: { api_version: 'v2' },
      });
    }
    const chat = await t.app.inject({
      method: 'POST',
      url: '/api/v2/chat/message',
      headers: key(tenant),
      payload: { session_id: s.session_id, user_id: 'u', channel: 'web', content: { type: 'text', text: 'hello' } },
    });
    expect(chat.statusCode).toBe(410);
    expect(
      await t.deps.database.db.selectFrom('messages').selectAll().where('tenant_id', '=', tenant.id).execute(),
    ).toEqual([]);
  });

  it.skipIf(skip)('slides the expiry forward when a chat message arrives in the session', async () => {
    const tenant = await t.createTenant({ plan: 'enterprise' });
    const s = await create(tenant);
    shift = 20 * MINUTE;
    const chat = await t.app.inject({
      method: 'POST',
      url: '/api/v2/chat/message',
      headers: key(tenant),
      payload: { session_id: s.session_id, user_id: 'u', channel: 'web', content: { type: 'text', text: 'hello' } },
    });
    expect(chat.statusCode).toBe(200);
    shift = 40 * MINUTE;
    expect((await call(tenant, 'GET', `/api/v2/sessions/${s.session_id}`)).json().data.status).toBe('active');
  });

  it.skipIf(skip)('ends a session; an ended session reads as ended and refuses changes', async () => {
    const tenant = await t.createTenant();
    const s = await create(tenant, {
      ...specCreate,
      session_config: { timeout_minutes: 30, enable_context_persistence: false },
    });
    const res = await call(tenant, 'DELETE', `/api/v2/sessions/${s.session_id}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().data).toMatchObject({
      session_id: s.session_id,
      status: 'ended',
      ended: true,
      ended_at: expect.any(String),
      duration_minutes: 0,
    });
    const got = await call(tenant, 'GET', `/api/v2/sessions/${s.session_id}`);
    expect(got.json().data).toMatchObject({ status: 'ended', ended_at: res.json().data.ended_at });
    // Without context persistence, nothing of the visitor's context outlives the session.
    expect(got.json().data.context).not.toHaveProperty('page_url');
    const extend = await call(tenant, 'POST', `/api/v2/sessions/${s.session_id}/extend`, { extend_by_minutes: 5 });
    expect(extend.statusCode).toBe(410);
    expect(extend.json().error.details.reason).toBe('SESSION_ENDED');
  });

  it.skipIf(skip)('lets the widget token reach a session only with that session’s token', async () => {
    const tenant = await t.createTenant();
    const widget = { 'x-widget-token': tenant.credentials.widget_token };
    const s = await create(tenant, specCreate, widget);
    const other = await create(tenant, specCreate, widget);
    const url = `/api/v2/sessions/${s.session_id}/context`;
    expect((await call(tenant, 'GET', url, undefined, widget)).statusCode).toBe(403);
    expect(
      (await call(tenant, 'GET', url, undefined, { ...widget, 'x-session-token': other.session_token })).statusCode,
    ).toBe(403);
    expect(
      (await call(tenant, 'GET', url, undefined, { ...widget, 'x-session-token': s.session_token })).statusCode,
    ).toBe(200);
    const put = await call(tenant, 'PUT', url, specContextUpdate, { ...widget, 'x-session-token': s.session_token });
    expect(put.statusCode).toBe(200);
  });

  const ownedSession = async (app: TestApp, owner: Tenant) => {
    const res = await app.app.inject({
      method: 'POST',
      url: '/api/v2/sessions',
      headers: { authorization: `Bearer ${owner.apiKey}` },
      payload: specCreate,
    });
    return res.json().data.session_id as string;
  };
  if (!skip) {
    itIsolatesTenants(
      () => t,
      [
        { method: 'GET', path: '/api/v2/sessions/:object', createObject: ownedSession },
        { method: 'PUT', path: '/api/v2/sessions/:object', payload: { user_id: 'hijack' }, createObject: ownedSession },
        { method: 'DELETE', path: '/api/v2/sessions/:object', createObject: ownedSession },
        {
          method: 'POST',
          path: '/api/v2/sessions/:object/extend',
          payload: { extend_by_minutes: 30 },
          createObject: ownedSession,
        },
        { method: 'GET', path: '/api/v2/sessions/:object/context', createObject: ownedSession },
        {
          method: 'PUT',
          path: '/api/v2/sessions/:object/context',
          payload: specContextUpdate,
          createObject: ownedSession,
        },
      ],
    );
  }
});
