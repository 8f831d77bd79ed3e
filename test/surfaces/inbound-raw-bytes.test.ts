import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signCallRail, signTimestamped } from '../../src/channels/callrail.js';
import { signSlack } from '../../src/channels/slack.js';
import { signTeams } from '../../src/channels/teams.js';
import { signMeta } from '../../src/channels/whatsapp.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { dialects } from '../helpers/db.js';

/** Not JSON at all: a parser would refuse it with 400 before any signature was looked at. */
const GARBAGE = '{"entry": [ this is not json';
const TEAMS_TOKEN = Buffer.from('raw-bytes-teams-token-0123456789').toString('base64');

let seq = 0;
const uniq = () => `${Date.now()}${(seq += 1)}`;

/**
 * Every signed inbound channel checks its signature on the raw bytes before anything parses them:
 * a forged request whose body is not even JSON is refused as unauthenticated, never as malformed;
 * only a correctly signed one gets as far as the body (and is then refused as malformed).
 */
describe.each(dialects)('inbound signatures on raw bytes on $label', ({ dialect, skip }) => {
  let t: TestApp;
  let tenantId: string;
  const n = uniq();

  beforeAll(async () => {
    if (skip) return;
    t = await startTestApp({ dialect });
    const tenant = await t.createTenant({
      plan: 'enterprise',
      configuration: {
        channels: {
          whatsapp: { phone_number_id: `RB_PN_${n}`, app_secret: 'wa-secret' },
          messenger: { page_id: `RB_PAGE_${n}`, app_secret: 'fb-secret' },
          slack: { team_id: `RB_T_${n}`, signing_secret: 'slack-secret' },
          teams: { security_token: TEAMS_TOKEN },
          telegram: { secret_token: `rb_tg_${n}` },
        },
        integrations: { rb_integration: { provider: 'custom', webhook_token: 'rb-token' } },
        callrail_company_id: `RBCO${n}`,
        callrail: { signing_secret: 'callrail-key' },
      },
    });
    tenantId = tenant.id;
  });
  afterAll(async () => {
    if (!skip) await t.close();
  });

  const post = (url: string, headers: Record<string, string>, payload = GARBAGE) =>
    t.app.inject({ method: 'POST', url, headers: { 'content-type': 'application/json', ...headers }, payload });
  const now = () => Math.floor(Date.now() / 1000);

  const forged: [string, () => { url: string; headers: Record<string, string> }][] = [
    [
      'WhatsApp',
      () => ({ url: '/api/v2/webhooks/whatsapp', headers: { 'x-hub-signature-256': signMeta('wrong', GARBAGE) } }),
    ],
    [
      'Messenger',
      () => ({ url: '/api/v2/webhooks/messenger', headers: { 'x-hub-signature-256': signMeta('wrong', GARBAGE) } }),
    ],
    [
      'Slack',
      () => ({
        url: '/api/v2/webhooks/slack',
        headers: {
          'x-slack-signature': signSlack('wrong', now(), GARBAGE),
          'x-slack-request-timestamp': String(now()),
        },
      }),
    ],
    [
      'Teams',
      () => ({
        url: '/api/v2/webhooks/teams',
        headers: { authorization: signTeams(Buffer.from('wrong').toString('base64'), GARBAGE) },
      }),
    ],
    [
      'Telegram',
      () => ({ url: '/api/v2/webhooks/telegram', headers: { 'x-telegram-bot-api-secret-token': 'wrong_token' } }),
    ],
    [
      'a generic integration',
      () => ({ url: '/api/v2/webhooks/generic/rb_integration', headers: { authorization: 'Bearer wrong' } }),
    ],
    [
      'CallRail (its own Signature)',
      () => ({ url: '/v1/callrail/webhook', headers: { signature: signCallRail('wrong', GARBAGE) } }),
    ],
    [
      "CallRail (spec A's x-callrail-signature)",
      () => ({
        url: '/v1/callrail/webhook',
        headers: { 'x-timestamp': String(now()), 'x-callrail-signature': signTimestamped('wrong', now(), GARBAGE) },
      }),
    ],
  ];

  it.skipIf(skip).each(forged)(
    'refuses a forged %s request whose body is not JSON as unauthenticated',
    async (_name, make) => {
      const { url, headers } = make();
      const res = await post(url, headers);
      expect(res.statusCode, res.body).toBe(401);
      expect(res.body).not.toMatch(/not valid JSON/);
    },
  );

  it.skipIf(skip)("checks the named tenant's secret first, and reads the body only once it matched", async () => {
    const url = `/api/v2/webhooks/whatsapp?tenant_id=${tenantId}`;
    const forgedRes = await post(url, { 'x-hub-signature-256': signMeta('wrong', GARBAGE) });
    expect(forgedRes.statusCode, forgedRes.body).toBe(401);
    expect(forgedRes.json()).toMatchObject({ error: { details: { reason: 'signature_mismatch' } } });
    const signed = await post(url, { 'x-hub-signature-256': signMeta('wa-secret', GARBAGE) });
    expect(signed.statusCode, signed.body).toBe(400);
    expect(signed.body).toMatch(/not valid JSON/);
  });
});
