import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../helpers/app.js';
import { dialects } from '../../helpers/db.js';
import { tenantFootprint } from '../../helpers/isolation.js';
import { browserRequests, signedInUser } from './app-session.js';

type Body = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- response bodies are read field by field
type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

// An IP literal: the test app allows private addresses, and a literal needs no DNS.
const HOOK_URL = 'http://127.0.0.1:9/hooks/frontdesk';

describe.each(dialects)('web app webhooks settings on $label', ({ dialect, skip }) => {
  let t: TestApp;

  beforeAll(async () => {
    if (!skip) t = await startTestApp({ dialect });
  });
  afterAll(async () => {
    if (!skip) await t.close();
  });

  const send = browserRequests(() => t.app);

  const ownerOf = async (name: string) => {
    const tenant = await t.createTenant({ name });
    const { browser } = await signedInUser(t, tenant.id, { email: `owner@${name}.example`, role: 'owner' });
    return { tenant, browser };
  };

  it.skipIf(skip)('lets an owner add, change, disable, enable and delete a webhook', async () => {
    const { browser } = await ownerOf('hooks');
    const created = await send(browser, 'POST', '/app/api/webhooks', { url: HOOK_URL, events: ['lead.qualified'] });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.data).toMatchObject({ url: HOOK_URL, events: ['lead.qualified'], enabled: true });
    expect(created.body.data.secret.length).toBeGreaterThanOrEqual(16);
    const id = created.body.data.id as string;

    const listed = await send(browser, 'GET', '/app/api/webhooks');
    expect(listed.body.data.webhooks).toHaveLength(1);
    expect(listed.body.data.webhooks[0].secret).toBeUndefined();
    expect(listed.body.data.events.map((e: Body) => e.name)).toContain('lead.scored');

    const changed = await send(browser, 'PATCH', `/app/api/webhooks/${id}`, {
      events: ['lead.qualified', 'lead.scored'],
    });
    expect(changed.body.data.events).toEqual(['lead.qualified', 'lead.scored']);

    const disabled = await send(browser, 'POST', `/app/api/webhooks/${id}/disable`, { reason: 'CRM migration' });
    expect(disabled.body.data).toMatchObject({ enabled: false, disabled_reason: 'CRM migration' });
    const enabled = await send(browser, 'POST', `/app/api/webhooks/${id}/enable`);
    expect(enabled.body.data).toMatchObject({ enabled: true, disabled_reason: null });

    expect((await send(browser, 'DELETE', `/app/api/webhooks/${id}`)).status).toBe(204);
    expect((await send(browser, 'GET', '/app/api/webhooks')).body.data.webhooks).toEqual([]);
  });

  it.skipIf(skip)('refuses a URL the outbound guard refuses, and an empty change', async () => {
    const { browser } = await ownerOf('guarded');
    const withPassword = await send(browser, 'POST', '/app/api/webhooks', {
      url: 'https://user:secret@127.0.0.1/hook',
      events: ['lead.qualified'],
    });
    expect(withPassword.status).toBe(400);
    expect(withPassword.body.error.code).toBe('VALIDATION_ERROR');
    const ftp = await send(browser, 'POST', '/app/api/webhooks', {
      url: 'ftp://127.0.0.1/x',
      events: ['lead.qualified'],
    });
    expect(ftp.status).toBe(400);
    const created = await send(browser, 'POST', '/app/api/webhooks', { url: HOOK_URL, events: ['lead.qualified'] });
    const id = created.body.data.id as string;
    expect((await send(browser, 'PATCH', `/app/api/webhooks/${id}`, {})).status).toBe(400);
    const badChange = await send(browser, 'PATCH', `/app/api/webhooks/${id}`, { url: 'file:///etc/passwd' });
    expect(badChange.status).toBe(400);
  });

  it.skipIf(skip)('shows the delivery log and replays a delivery as a new one', async () => {
    const { tenant, browser } = await ownerOf('replays');
    const created = await send(browser, 'POST', '/app/api/webhooks', { url: HOOK_URL, events: ['lead.qualified'] });
    const id = created.body.data.id as string;
    const emitted = await t.deps.services.webhooks.emit(tenant.id, 'lead.qualified', { lead_id: 'lead_1' });
    const [deliveryId] = emitted.deliveryIds;

    const log = await send(browser, 'GET', `/app/api/webhooks/${id}/deliveries`);
    expect(log.status).toBe(200);
    expect(log.body.data.deliveries).toHaveLength(1);
    expect(log.body.data.deliveries[0]).toMatchObject({ id: deliveryId, event: 'lead.qualified', replay_of: null });
    expect(log.body.data.deliveries[0]).toHaveProperty('response_code');
    expect(log.body.data.deliveries[0]).toHaveProperty('attempts');

    const replayed = await send(browser, 'POST', `/app/api/webhooks/${id}/deliveries/${deliveryId}/replay`);
    expect(replayed.status, JSON.stringify(replayed.body)).toBe(202);
    expect(replayed.body.data).toMatchObject({ event: 'lead.qualified', status: 'pending', replay_of: deliveryId });
    expect(replayed.body.data.id).not.toBe(deliveryId);
    const after = await send(browser, 'GET', `/app/api/webhooks/${id}/deliveries`);
    expect(after.body.data.deliveries.map((d: Body) => d.id)).toEqual([replayed.body.data.id, deliveryId]);

    await send(browser, 'POST', `/app/api/webhooks/${id}/disable`, {});
    const refused = await send(browser, 'POST', `/app/api/webhooks/${id}/deliveries/${deliveryId}/replay`);
    expect(refused.status).toBe(409);
  });

  it.skipIf(skip)('keeps tenant B out of tenant A’s webhooks and deliveries', async () => {
    const a = await ownerOf('tenant-a');
    const b = await ownerOf('tenant-b');
    const created = await send(a.browser, 'POST', '/app/api/webhooks', { url: HOOK_URL, events: ['lead.qualified'] });
    const id = created.body.data.id as string;
    const { deliveryIds } = await t.deps.services.webhooks.emit(a.tenant.id, 'lead.qualified', { lead_id: 'x' });
    const before = await tenantFootprint(t, a.tenant.id);

    expect((await send(b.browser, 'GET', '/app/api/webhooks')).body.data.webhooks).toEqual([]);
    const attempts: [Method, string, object?][] = [
      ['PATCH', `/app/api/webhooks/${id}`, { events: ['lead.scored'] }],
      ['POST', `/app/api/webhooks/${id}/disable`, {}],
      ['POST', `/app/api/webhooks/${id}/enable`],
      ['GET', `/app/api/webhooks/${id}/deliveries`],
      ['POST', `/app/api/webhooks/${id}/deliveries/${deliveryIds[0]}/replay`],
      ['DELETE', `/app/api/webhooks/${id}`],
    ];
    for (const [method, url, payload] of attempts) {
      const res = await send(b.browser, method, url, payload);
      expect(res.status, `${method} ${url}`).toBe(404);
    }
    expect(await tenantFootprint(t, a.tenant.id)).toEqual(before);
  });

  it.skipIf(skip)('refuses agents and viewers (403) on every webhook route', async () => {
    const { tenant, browser } = await ownerOf('roles');
    const created = await send(browser, 'POST', '/app/api/webhooks', { url: HOOK_URL, events: ['lead.qualified'] });
    const id = created.body.data.id as string;
    for (const role of ['agent', 'viewer']) {
      const other = await signedInUser(t, tenant.id, { email: `${role}@roles.example`, role });
      const attempts: [Method, string, object?][] = [
        ['GET', '/app/api/webhooks'],
        ['POST', '/app/api/webhooks', { url: HOOK_URL, events: ['lead.qualified'] }],
        ['PATCH', `/app/api/webhooks/${id}`, { events: ['lead.scored'] }],
        ['POST', `/app/api/webhooks/${id}/disable`, {}],
        ['POST', `/app/api/webhooks/${id}/enable`],
        ['DELETE', `/app/api/webhooks/${id}`],
        ['GET', `/app/api/webhooks/${id}/deliveries`],
        ['POST', `/app/api/webhooks/${id}/deliveries/dlv_x/replay`],
      ];
      for (const [method, url, payload] of attempts) {
        const res = await send(other.browser, method, url, payload);
        expect(res.status, `${role} ${method} ${url}`).toBe(403);
      }
    }
  });
});

describe('web app webhooks behind the outbound guard', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { FRONTDESK_ALLOW_PRIVATE_URLS: '0' } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('refuses the cloud metadata address and a loopback URL', async () => {
    const tenant = await t.createTenant({ name: 'Guarded' });
    const { browser } = await signedInUser(t, tenant.id, { email: 'o@guarded.example', role: 'owner' });
    for (const url of ['http://169.254.169.254/latest/meta-data', 'http://localhost:8080/hook']) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/app/api/webhooks',
        headers: browser.write,
        payload: { url, events: ['lead.qualified'] },
      });
      expect(res.statusCode, url).toBe(400);
      expect(res.json<Body>().error.fields[0]).toMatchObject({ field: 'url' });
    }
  });
});
