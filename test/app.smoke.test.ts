import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './helpers/app.js';

describe('app', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t.close());

  it('creates a tenant and reads its masked configuration with its own API key', async () => {
    const tenant = await t.createTenant({
      configuration: { channels: { slack: { enabled: true, bot_token: 'xoxb-secret' } } },
    });
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/v2/tenants/${tenant.id}/config`,
      headers: { authorization: `ApiKey ${tenant.apiKey}` },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().data.configuration.channels.slack.bot_token).toBe('***hidden***');
    expect(res.headers['x-request-id']).toMatch(/^req_/);
  });
});
