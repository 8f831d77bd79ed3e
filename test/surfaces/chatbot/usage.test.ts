import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../helpers/app.js';
import { dialects } from '../../helpers/db.js';
import { startWebhookReceiver, type WebhookReceiver } from '../../fakes/webhook-receiver.fake.js';

type Tenant = Awaited<ReturnType<TestApp['createTenant']>>;
type Body = ReturnType<typeof JSON.parse>;

let seq = 0;

describe.each(dialects)('spec D usage figures on $label', ({ dialect, skip }) => {
  let t: TestApp;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    if (skip) return;
    t = await startTestApp({ dialect });
    receiver = await startWebhookReceiver();
  });
  afterAll(async () => {
    if (skip) return;
    await t.close();
    await receiver.close();
  });

  const key = (tenant: Tenant) => ({ authorization: `Bearer ${tenant.apiKey}` });
  const usageOf = async (tenant: Tenant): Promise<Body> => {
    const res = await t.app.inject({ method: 'GET', url: `/api/v2/tenants/${tenant.id}/usage`, headers: key(tenant) });
    expect(res.statusCode, res.body).toBe(200);
    return res.json().data.usage;
  };
  const say = async (tenant: Tenant, channel: string, text: string): Promise<string> => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v2/chat/message',
      headers: key(tenant),
      payload: {
        message_id: `m_usage_${(seq += 1)}`,
        user_id: `visitor_${seq}`,
        channel,
        content: { type: 'text', text },
      },
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json().data.conversation_id;
  };
  const post = async (tenant: Tenant, url: string, payload: Record<string, unknown>) => {
    const res = await t.app.inject({ method: 'POST', url, headers: key(tenant), payload });
    expect(res.statusCode, res.body).toBeLessThan(300);
    return res.json();
  };

  it.skipIf(skip)('moves every conversation, message and webhook figure with what happened', async () => {
    const tenant = await t.createTenant({ plan: 'enterprise' });

    const web = await say(tenant, 'web', 'What are your opening hours?');
    let usage = await usageOf(tenant);
    expect(usage.conversations).toEqual({ total: 1, completed: 0, abandoned: 0, escalated: 0 });
    expect(usage.messages).toEqual({ total: 2, inbound: 1, outbound: 1, by_channel: { web: 2 } });

    await post(tenant, `/api/v2/conversations/${web}/close`, { resolution: 'resolved' });
    expect((await usageOf(tenant)).conversations).toMatchObject({ completed: 1, abandoned: 0 });

    const slack = await say(tenant, 'slack', 'My order arrived damaged');
    await post(tenant, `/api/v2/conversations/${slack}/transfer`, { transfer_reason: 'complex_technical_issue' });
    usage = await usageOf(tenant);
    expect(usage.conversations).toMatchObject({ total: 2, escalated: 1 });
    expect(usage.messages.by_channel.web).toBe(2);
    expect(usage.messages.by_channel.slack).toBeGreaterThanOrEqual(2);
    const byChannel = Object.values(usage.messages.by_channel as Record<string, number>).reduce((a, b) => a + b, 0);
    expect(byChannel).toBe(usage.messages.total);
    expect(usage.messages.inbound + usage.messages.outbound).toBe(usage.messages.total);

    await post(tenant, `/api/v2/conversations/${slack}/close`, { resolution: 'unresolved' });
    expect((await usageOf(tenant)).conversations).toMatchObject({ completed: 1, abandoned: 1, escalated: 1 });

    await post(tenant, '/api/webhooks', { url: `${receiver.url}/hook`, events: ['lead.qualified'] });
    const emitted = await t.deps.services.webhooks.emit(tenant.id, 'lead.qualified', { id: 'lead_usage' });
    for (const id of emitted.deliveryIds) await t.deps.services.webhooks.attemptDelivery(tenant.id, id, 1);
    expect((await usageOf(tenant)).integrations.webhook_calls).toBe(1);
  });

  it.skipIf(skip)('counts nothing of another month', async () => {
    const tenant = await t.createTenant();
    await say(tenant, 'web', 'hello');
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/v2/tenants/${tenant.id}/usage?period=2020-01`,
      headers: key(tenant),
    });
    expect(res.json().data.usage).toMatchObject({
      conversations: { total: 0 },
      messages: { total: 0, by_channel: {} },
      integrations: { webhook_calls: 0 },
    });
  });
});
