import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as pipelineRepo from '../../helpers/call-rows.js';
import type { OutboxEntry } from '../../../src/providers/notify/email.js';
import { signTimestamped } from '../../../src/channels/callrail.js';
import { startTestApp, type TestApp } from '../../helpers/app.js';
import { waitFor } from '../../helpers/queue.js';
import { startSlackFake, type SlackFake } from '../../fakes/slack.fake.js';
import { startSmtpFake, type SmtpFake } from '../../fakes/smtp.fake.js';

type Tenant = Awaited<ReturnType<TestApp['createTenant']>>;
/** JSON as the API answered it. */
type Body = ReturnType<typeof JSON.parse>;

const PRICES = { per_step: { ai_analysis: 0.01, notification: 0.002 }, llm_per_million_tokens: {} };
const strongLead = {
  source: 'website_form',
  customer_name: 'Dana Whitfield',
  customer_phone: '+15125550142',
  customer_email: 'dana@whitfieldbuilders.com',
  project_type: 'kitchen_remodel',
  project_description:
    'Full kitchen remodel, about 300 sq ft, budget $45,000, we want to start next month. Please call me today.',
  budget_range: '25000-50000',
  timeline: 'immediate',
};

const completed = (t: TestApp, tenantId: string, requestId: string) =>
  waitFor(async () => {
    const row = await pipelineRepo.findRequest(t.deps.database.db, tenantId, requestId);
    return row && (row.status === 'completed' || row.status === 'failed') ? row : undefined;
  }, 30_000);

const sendLead = async (t: TestApp, tenant: Tenant, body: object = strongLead) => {
  const res = await t.app.inject({
    method: 'POST',
    url: '/v1/leads/webhook',
    headers: { 'x-api-key': tenant.apiKey },
    payload: { tenant_id: tenant.id, ...body },
  });
  expect(res.statusCode, res.body).toBe(200);
  const requestId = res.json<Body>().request_id as string;
  return { requestId, row: await completed(t, tenant.id, requestId) };
};

describe('spec A alerts through SMTP and Slack, and step costs from the price table', () => {
  let t: TestApp;
  let smtp: SmtpFake;
  let slack: SlackFake;

  beforeAll(async () => {
    smtp = await startSmtpFake({ auth: { user: 'alerts', pass: 's3cret pass' } });
    slack = await startSlackFake();
    t = await startTestApp({
      env: {
        SMTP_URL: `smtp://alerts:${encodeURIComponent('s3cret pass')}@${smtp.host}:${smtp.port}`,
        FRONTDESK_MAIL_FROM: 'Acme Alerts <alerts@acme.test>',
        FRONTDESK_PRICES: JSON.stringify(PRICES),
      },
    });
    await t.startWorkers();
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
    await slack.close();
  });

  it('announces a lead at the high-value threshold on Slack and by e-mail through the SMTP relay', async () => {
    const tenant = await t.createTenant({
      plan: 'enterprise',
      configuration: {
        notification_config: {
          high_value_threshold: 50,
          slack_webhook: slack.webhookUrl,
          email_alerts: ['owner@acme.test'],
        },
      },
    });
    const { requestId, row } = await sendLead(t, tenant);
    expect(row.status).toBe('completed');
    expect(row.lead_score).toBeGreaterThanOrEqual(50);

    const steps = await pipelineRepo.listSteps(t.deps.database.db, row);
    const notification = steps.find((s) => s.step === 'notification');
    expect(notification?.status, notification?.reason ?? notification?.error ?? '').toBe('completed');
    expect(JSON.parse(notification?.output ?? '{}')).toEqual({ channels: ['slack', 'email:smtp'] });

    expect(slack.posts).toHaveLength(1);
    expect(JSON.stringify(slack.posts[0]?.payload)).toContain(String(row.lead_score));
    const mail = smtp.messages.find((m) => m.to.includes('owner@acme.test'));
    expect(mail?.from).toBe('alerts@acme.test');
    expect(mail?.subject).toContain(`(${row.lead_score})`);
    // Long lines travel quoted-printable: soft line breaks are undone before reading the link.
    expect(mail?.body.replace(/=\r\n/g, '')).toContain(`/v1/tenants/${tenant.id}/requests/${requestId}`);
  });

  it('skips the alert, saying why, below the threshold', async () => {
    const tenant = await t.createTenant({
      plan: 'enterprise',
      configuration: { notification_config: { high_value_threshold: 100, slack_webhook: slack.webhookUrl } },
    });
    const before = slack.posts.length;
    const { row } = await sendLead(t, tenant, {
      ...strongLead,
      project_description: 'Thinking about a kitchen remodel next year, just gathering rough prices for now.',
      timeline: '6-12_months',
    });
    expect(row.lead_score).toBeLessThan(100);
    const notification = (await pipelineRepo.listSteps(t.deps.database.db, row)).find((s) => s.step === 'notification');
    expect(notification?.status).toBe('skipped');
    expect(notification?.reason).toBe(`score ${row.lead_score} is below high_value_threshold 100`);
    expect(slack.posts.length).toBe(before);
  });

  it('prices each step from FRONTDESK_PRICES and reports the costs in analytics', async () => {
    const tenant = await t.createTenant({
      plan: 'enterprise',
      configuration: { notification_config: { high_value_threshold: 50, email_alerts: ['owner@acme.test'] } },
    });
    const { row } = await sendLead(t, tenant);
    const steps = await pipelineRepo.listSteps(t.deps.database.db, row);
    const cost = (step: string) => steps.find((s) => s.step === step)?.cost_usd;
    // The local engine bills nothing itself, so the table's per-run prices are the whole cost.
    expect(cost('ai_analysis')).toBe(0.01);
    expect(cost('notification')).toBe(0.002);
    expect(cost('crm_integration')).toBe(0);
    expect(row.cost_usd).toBeCloseTo(0.012, 6);

    const res = await t.app.inject({
      url: `/v1/tenants/${tenant.id}/analytics?metrics=costs`,
      headers: { 'x-api-key': tenant.apiKey },
    });
    expect(res.statusCode, res.body).toBe(200);
    const costs = res.json<Body>().data.cost_analysis;
    expect(costs.total_cost).toBeCloseTo(0.012, 4);
    expect(costs.cost_breakdown).toMatchObject({ ai_analysis: 0.01, notification: 0.002 });
  });
});

describe('spec A alerts without an SMTP relay', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    await t.startWorkers();
  });
  afterAll(() => t.close());

  it('writes the e-mail to the outbox in the data directory', async () => {
    const tenant = await t.createTenant({
      plan: 'enterprise',
      configuration: { notification_config: { high_value_threshold: 50, email_alerts: ['sales@acme.test'] } },
    });
    const { requestId, row } = await sendLead(t, tenant);
    const notification = (await pipelineRepo.listSteps(t.deps.database.db, row)).find((s) => s.step === 'notification');
    expect(JSON.parse(notification?.output ?? '{}')).toEqual({ channels: ['email:outbox'] });
    const outbox = path.join(t.dataDir, 'outbox');
    const entries = fs
      .readFileSync(path.join(outbox, 'index.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as OutboxEntry);
    const entry = entries.find((e) => e.to.includes('sales@acme.test'));
    expect(entry?.subject).toMatch(/^(HOT|WARM|COLD) lead \(\d+\): Dana Whitfield$/);
    expect(fs.readFileSync(path.join(outbox, entry?.file ?? ''), 'utf8').replace(/=\r?\n/g, '')).toContain(
      `/requests/${requestId}`,
    );
  });

  it('never lets one tenant’s webhook secret or API key write into another tenant', async () => {
    const a = await t.createTenant({ plan: 'enterprise' });
    const b = await t.createTenant({ plan: 'enterprise' });
    const raw = JSON.stringify({ call_id: 'CALisolation1', tenant_id: a.id, caller_id: '+15125550100' });
    const timestamp = Math.floor(Date.now() / 1000);
    const signedByB = await t.app.inject({
      method: 'POST',
      url: '/v1/callrail/webhook',
      headers: {
        'content-type': 'application/json',
        'x-timestamp': String(timestamp),
        'x-callrail-signature': signTimestamped(b.credentials.webhook_secret, timestamp, raw),
      },
      payload: raw,
    });
    expect(signedByB.statusCode).toBe(401);
    const keyOfB = await t.app.inject({
      method: 'POST',
      url: '/v1/leads/webhook',
      headers: { 'x-api-key': b.apiKey },
      payload: { tenant_id: a.id, ...strongLead },
    });
    expect(keyOfB.statusCode).toBe(403);
    const list = await t.app.inject({ url: `/v1/tenants/${a.id}/requests`, headers: { 'x-api-key': a.apiKey } });
    expect(list.json<Body>().data.requests).toEqual([]);
  });
});
