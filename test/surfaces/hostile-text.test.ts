import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalEngine, type LocalEngine } from '../../src/engine/local.js';
import { startTestApp, type TestApp } from '../helpers/app.js';

/**
 * Keyboard mashing that ends in a character the spam rule does not expect made its pattern try
 * every way of splitting the text: 113 characters froze the server for seconds, 121 for minutes.
 * Each request below answered in milliseconds after the fix; before it, the first never returned
 * within the test's timeout.
 */
const MASHED = ['asdf'.repeat(28) + '#', 'asdf'.repeat(30) + '#', 'test '.repeat(40) + '#', 'asdf'.repeat(999) + '#'];
/** Longer than a chat message may be, as a transcript or a form's text can be. */
const LONG_MASH = 'asdf'.repeat(4_999) + '#';

describe('hostile text reaches the engine', () => {
  let t: TestApp;
  let tenant: Awaited<ReturnType<TestApp['createTenant']>>;

  beforeAll(async () => {
    t = await startTestApp();
    tenant = await t.createTenant();
  });
  afterAll(() => t.close());

  it('a mashed chat message from an anonymous web visitor is answered, and so is /health meanwhile', async () => {
    for (const [i, text] of MASHED.entries()) {
      const [chat, health] = await Promise.all([
        t.app.inject({
          method: 'POST',
          url: '/api/v2/chat/message',
          headers: { 'x-widget-token': tenant.credentials.widget_token },
          payload: {
            message_id: `mash_${i}`,
            user_id: `visitor_${i}`,
            channel: 'web',
            content: { type: 'text', text },
          },
        }),
        t.app.inject({ method: 'GET', url: '/health' }),
      ]);
      expect(chat.statusCode).toBe(200);
      expect(health.statusCode).toBe(200);
    }
  });

  it('a long mashed lead message is qualified on /api/qualify', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/qualify',
      headers: { authorization: `Bearer ${tenant.apiKey}` },
      payload: { email: 'x@example.com', company: 'Example', message: LONG_MASH },
    });
    expect(res.statusCode).toBe(200);
  });
});

describe('the local engine reads a bounded text', () => {
  let engine: LocalEngine;
  beforeAll(async () => {
    engine = await createLocalEngine({ textLimit: 1_000 });
  });

  it('reads mashing as spam, and mashing with a stray character as nothing worth a call', async () => {
    const clean = await engine.analyze({ kind: 'message', text: 'asdf qwer '.repeat(90) }, { tenantId: 't' });
    expect(clean.intent).toBe('spam');
    for (const text of [...MASHED, LONG_MASH]) {
      const result = await engine.analyze({ kind: 'message', text }, { tenantId: 't' });
      expect(result.tier).toBe('COLD');
    }
  });

  it('reads the start and the end of a text longer than its limit, and nothing between', async () => {
    const filler = ' lorem'.repeat(10_000);
    const start = await engine.analyze(
      { kind: 'lead', text: `My budget is $15,000 for a new roof.${filler}` },
      { tenantId: 't' },
    );
    expect(start.entities.money).toContain(15_000);
    const end = await engine.analyze({ kind: 'lead', text: `${filler} Call me at jane@acme.com.` }, { tenantId: 't' });
    expect(end.entities.emails).toEqual(['jane@acme.com']);
    const middle = await engine.analyze({ kind: 'lead', text: `${filler} bob@acme.com ${filler}` }, { tenantId: 't' });
    expect(middle.entities.emails).toEqual([]);
  });

  it('cuts every form field to the limit', async () => {
    const result = await engine.analyze(
      {
        kind: 'lead',
        text: 'Need a quote',
        fields: { description: `${'lorem '.repeat(2_000)} zed@acme.com ${'lorem '.repeat(2_000)}` },
      },
      { tenantId: 't' },
    );
    expect(result.entities.emails).toEqual([]);
  });
});
