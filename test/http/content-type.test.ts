import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';

describe('a JSON body sent without its Content-Type', () => {
  let t: TestApp;
  let apiKey: string;
  let port: number;
  beforeAll(async () => {
    t = await startTestApp();
    apiKey = (await t.createTenant()).apiKey;
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    port = (t.app.server.address() as AddressInfo).port;
  });
  afterAll(() => t.close());

  /** A raw POST over a real socket: inject would add a Content-Type of its own. */
  const post = (url: string, payload?: string, contentType?: string) =>
    new Promise<{ statusCode: number; body: string; json: () => unknown }>((resolve, reject) => {
      const headers: Record<string, string | number> = {
        authorization: `Bearer ${apiKey}`,
        'x-api-key': apiKey,
        'content-length': Buffer.byteLength(payload ?? ''),
        ...(contentType ? { 'content-type': contentType } : {}),
      };
      const req = http.request({ host: '127.0.0.1', port, path: url, method: 'POST', headers }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () =>
          resolve({ statusCode: res.statusCode ?? 0, body, json: () => JSON.parse(body) as unknown }),
        );
      });
      req.on('error', reject);
      req.end(payload);
    });

  it("is 415 when labelled as a form, as curl -d labels it, naming the header to send, in the route's envelope", async () => {
    const form = 'application/x-www-form-urlencoded';
    const qualify = await post('/api/qualify', JSON.stringify({ email: 'jane@acme.com', company: 'Acme' }), form);
    expect(qualify.statusCode, qualify.body).toBe(415);
    expect(qualify.json()).toMatchObject({
      error: {
        code: 'UNSUPPORTED_MEDIA_TYPE',
        message: expect.stringContaining('send Content-Type: application/json'),
      },
    });
    const chat = await post(
      '/api/v2/chat/message',
      JSON.stringify({ message_id: 'm1', user_id: 'u1', channel: 'web', content: { type: 'text', text: 'hi' } }),
      form,
    );
    expect(chat.statusCode, chat.body).toBe(415);
    expect(chat.json()).toMatchObject({ status: 'error', error: { message: expect.stringContaining('curl -d') } });
    const realForm = await post(
      '/v1/leads/webhook',
      new URLSearchParams({ customer_email: 'jane@acme.com', customer_name: 'Jane' }).toString(),
      form,
    );
    expect(realForm.statusCode, realForm.body).toBe(200);
  });

  it('is 415 without any Content-Type, in the envelope of the route it was sent to', async () => {
    const qualify = await post('/api/qualify', JSON.stringify({ email: 'jane@acme.com', company: 'Acme' }));
    expect(qualify.statusCode, qualify.body).toBe(415);
    expect(qualify.json()).toMatchObject({
      error: { code: 'UNSUPPORTED_MEDIA_TYPE', message: expect.stringContaining('application/json') },
    });
    const lead = await post('/v1/leads/webhook', JSON.stringify({ customer_email: 'jane@acme.com' }));
    expect(lead.statusCode, lead.body).toBe(415);
    expect(lead.json()).toMatchObject({
      success: false,
      error: { message: expect.stringContaining('application/json') },
    });
  });

  it('leaves a request with no body to its validation', async () => {
    const res = await post('/api/qualify');
    expect(res.statusCode, res.body).toBe(400);
  });
});
