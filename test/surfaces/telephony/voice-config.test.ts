import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../helpers/app.js';

describe('the text_to_speech section of the tenant configuration', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { FRONTDESK_ALLOW_PRIVATE_URLS: '0' } });
  });
  afterAll(async () => {
    await t.close();
  });

  const create = (textToSpeech: Record<string, unknown>) =>
    t.app.inject({
      method: 'POST',
      url: '/api/v2/tenants',
      headers: t.adminHeaders,
      payload: { name: 'Speaking', configuration: { text_to_speech: textToSpeech } },
    });

  it('refuses a speech endpoint on a private address the operator has not allowed', async () => {
    const res = await create({ provider: 'openai', base_url: 'http://169.254.169.254/v1', api_key: 'k' });
    expect(res.statusCode, res.body).toBe(400);
    expect(res.body).toContain('configuration.text_to_speech.base_url');
  });

  it('refuses a provider it does not know, and hides the key once stored', async () => {
    expect((await create({ provider: 'acme' })).statusCode).toBe(400);
    const res = await create({ provider: 'openai', base_url: 'https://api.openai.com/v1', api_key: 'sk-secret' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.body).not.toContain('sk-secret');
  });
});
