import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSafeHttp } from '../../../src/providers/http/safe-fetch.js';
import { NotifyError } from '../../../src/providers/notify/notify.js';
import type { LeadAlert } from '../../../src/providers/notify/notify.js';
import { buildLeadAlertMessage, createSlackNotifier } from '../../../src/providers/notify/slack.js';
import { startSlackFake } from '../../fakes/slack.fake.js';
import type { SlackFake } from '../../fakes/slack.fake.js';

const alert: LeadAlert = {
  leadId: 'lead_01hx0000000000000000000000',
  score: 92,
  tier: 'HOT',
  intent: 'kitchen_remodel',
  callerName: 'John Smith',
  callerPhone: '+15551234567',
  summary: 'Wants a 200 sq ft kitchen remodel within 3 months, budget around $30k.',
  leadUrl: 'https://frontdesk.example.com/leads/lead_01hx0000000000000000000000',
  source: 'callrail',
};

describe('Slack lead alerts', () => {
  let slack: SlackFake;
  beforeEach(async () => {
    slack = await startSlackFake();
  });
  afterEach(async () => {
    await slack.close();
  });
  const notifier = (allowPrivate = true) =>
    createSlackNotifier({ http: createSafeHttp({ allowPrivate }), timeoutMs: 2_000 });

  it('posts text and blocks with a header, score/tier/intent/caller fields and a button to the lead', async () => {
    await notifier().notifyLead(slack.webhookUrl, alert);

    const [post] = slack.posts;
    expect(post?.headers['content-type']).toMatch(/^application\/json/);
    expect(post?.payload).toEqual({
      text: ':fire: HOT lead (score 92): John Smith — kitchen_remodel',
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: 'HOT lead · score 92 · John Smith', emoji: true } },
        { type: 'section', text: { type: 'mrkdwn', text: alert.summary } },
        {
          type: 'section',
          fields: [
            { type: 'mrkdwn', text: '*Score*\n92' },
            { type: 'mrkdwn', text: '*Tier*\nHOT' },
            { type: 'mrkdwn', text: '*Intent*\nkitchen_remodel' },
            { type: 'mrkdwn', text: '*Caller*\nJohn Smith · +15551234567' },
            { type: 'mrkdwn', text: '*Source*\ncallrail' },
          ],
        },
        {
          type: 'actions',
          elements: [
            {
              type: 'button',
              text: { type: 'plain_text', text: 'Open lead' },
              url: alert.leadUrl,
              action_id: 'open_lead',
              style: 'primary',
            },
          ],
        },
      ],
    });
  });

  it('escapes caller-supplied text in every mrkdwn part so it cannot become a link or a mention', () => {
    const message = buildLeadAlertMessage({
      ...alert,
      callerName: '<https://evil.example|Click me> & <!channel>',
      summary: 'call <@U123>',
    });
    // The header is plain_text, which Slack never parses for links or mentions.
    const mrkdwn = JSON.stringify({ text: message.text, blocks: message.blocks?.slice(1) });

    expect(mrkdwn).not.toContain('<https://evil.example');
    expect(mrkdwn).not.toContain('<!channel>');
    expect(message.text).toContain('&lt;https://evil.example|Click me&gt; &amp; &lt;!channel&gt;');
    expect(message.blocks?.[1]).toEqual({ type: 'section', text: { type: 'mrkdwn', text: 'call &lt;@U123&gt;' } });
    expect(message.blocks?.[0]).toMatchObject({ type: 'header', text: { type: 'plain_text' } });
  });

  it("keeps within Block Kit's limits for very long names and summaries, which Slack accepts", async () => {
    // The emoji straddles the 150-character cut: half of it would be invalid text.
    const callerName = `${'A'.repeat(126)}😀${'B'.repeat(200)}`;
    await notifier().notifyLead(slack.webhookUrl, {
      ...alert,
      callerName,
      summary: 'x'.repeat(5_000),
      intent: undefined,
      callerPhone: undefined,
      source: undefined,
    });

    expect(slack.posts[0]?.payload).toBeDefined();
    const header = (slack.posts[0]?.payload as { blocks: { text?: { text: string } }[] }).blocks[0]?.text?.text;
    expect(header).toBe(`HOT lead · score 92 · ${'A'.repeat(126)}…`);
  });

  it("surfaces Slack's error text: invalid_payload and no_service as final, 429 and 500 as retryable", async () => {
    slack.replyNext({ status: 400, body: 'invalid_payload' });
    const bad = await notifier()
      .notifyLead(slack.webhookUrl, alert)
      .catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(NotifyError);
    expect(bad).toMatchObject({
      channel: 'slack',
      kind: 'rejected',
      status: 400,
      message: 'invalid_payload',
      retryable: false,
    });

    await expect(notifier().notifyLead(`${slack.url}/services/T0/B0/revoked`, alert)).rejects.toMatchObject({
      kind: 'auth',
      status: 404,
      message: 'no_service',
      retryable: false,
    });

    slack.replyNext(
      { status: 410, body: 'channel_is_archived' },
      { status: 429, body: 'rate_limited', headers: { 'retry-after': '1' } },
      { status: 500, body: 'rollup_error' },
    );
    await expect(notifier().notifyLead(slack.webhookUrl, alert)).rejects.toMatchObject({
      kind: 'auth',
      status: 410,
      message: 'channel_is_archived',
    });
    await expect(notifier().notifyLead(slack.webhookUrl, alert)).rejects.toMatchObject({
      kind: 'rate_limited',
      status: 429,
      retryable: true,
    });
    await expect(notifier().notifyLead(slack.webhookUrl, alert)).rejects.toMatchObject({
      kind: 'unavailable',
      status: 500,
      message: 'rollup_error',
      retryable: true,
    });
  });

  it('refuses a webhook URL on a private address when private URLs are not allowed', async () => {
    await expect(notifier(false).notifyLead(slack.webhookUrl, alert)).rejects.toMatchObject({
      kind: 'refused',
      retryable: false,
    });
    expect(slack.posts).toHaveLength(0);
  });

  it('reports a Slack that does not answer as a retryable timeout', async () => {
    slack.replyNext({ hang: true });
    const started = Date.now();

    await expect(
      createSlackNotifier({ http: createSafeHttp({ allowPrivate: true }), timeoutMs: 150 }).notifyLead(
        slack.webhookUrl,
        alert,
      ),
    ).rejects.toMatchObject({ kind: 'timeout', retryable: true });
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
