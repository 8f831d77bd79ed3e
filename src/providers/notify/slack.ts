import { HttpRequestError, UrlRefusedError } from '../http/safe-fetch.js';
import type { SafeHttp, SafeHttpResponse } from '../http/safe-fetch.js';
import { NotifyError } from './notify.js';
import type { LeadAlert } from './notify.js';

/*
 * Slack incoming webhooks (https://api.slack.com/messaging/webhooks): POST JSON `{ text, blocks }`
 * to the tenant's hooks.slack.com URL; Slack answers `200 ok`, or a 4xx/5xx whose plain-text body
 * is the error code (`invalid_payload`, `no_service`, `channel_is_archived`, …). The URL is
 * the tenant's, so the request goes through SafeHttp.
 */

export interface SlackText {
  type: 'plain_text' | 'mrkdwn';
  text: string;
  emoji?: boolean;
}

export type SlackBlock =
  | { type: 'header'; text: SlackText }
  | { type: 'section'; text?: SlackText; fields?: SlackText[] }
  | {
      type: 'actions';
      elements: { type: 'button'; text: SlackText; url: string; action_id: string; style?: 'primary' | 'danger' }[];
    }
  | { type: 'context'; elements: SlackText[] };

export interface SlackMessage {
  /** Shown in notifications and by clients that cannot render blocks. */
  text: string;
  blocks?: SlackBlock[];
}

export interface SlackNotifierOptions {
  /** Webhook URLs are tenant input, so posts go through the SSRF guard. */
  http: SafeHttp;
  /** Per post; 10 s by default. */
  timeoutMs?: number;
}

export interface SlackNotifier {
  /** Posts one message; rejects with `NotifyError` (channel `slack`). */
  send(webhookUrl: string, message: SlackMessage): Promise<void>;
  /** Posts `buildLeadAlertMessage(alert)`. */
  notifyLead(webhookUrl: string, alert: LeadAlert): Promise<void>;
}

const DEFAULT_TIMEOUT_MS = 10_000;
/** Slack's answer is a short code; nothing longer is worth reading. */
const MAX_RESPONSE_BYTES = 4_096;
/** Block Kit limits: header text 150 characters, a section field 2,000, button text 75, a URL 3,000. */
const HEADER_MAX = 150;
const FIELD_MAX = 2_000;
const SECTION_MAX = 3_000;
const URL_MAX = 3_000;
const TIER_ICON: Record<LeadAlert['tier'], string> = { HOT: ':fire:', WARM: ':sunny:', COLD: ':snowflake:' };

/**
 * The lead alert as Block Kit: a header with tier and score, the summary, fields for score, tier,
 * intent, caller and source, and a button to the lead. Everything that came from a caller is
 * escaped, so a caller named `<https://evil.example|Click me>` cannot turn into a link.
 */
export function buildLeadAlertMessage(alert: LeadAlert): SlackMessage {
  const caller = [alert.callerName, alert.callerPhone].filter((part): part is string => Boolean(part)).join(' · ');
  const who = alert.callerName ?? alert.callerPhone ?? 'Unknown caller';
  const fields: SlackText[] = [
    field('Score', String(alert.score)),
    field('Tier', alert.tier),
    field('Intent', alert.intent ?? 'unknown'),
    field('Caller', caller || 'unknown'),
    ...(alert.source ? [field('Source', alert.source)] : []),
  ];
  const blocks: SlackBlock[] = [
    {
      type: 'header',
      text: {
        type: 'plain_text',
        text: truncate(`${alert.tier} lead · score ${alert.score} · ${who}`, HEADER_MAX),
        emoji: true,
      },
    },
    ...(alert.summary
      ? [
          {
            type: 'section' as const,
            text: { type: 'mrkdwn' as const, text: truncate(escapeMrkdwn(alert.summary), SECTION_MAX) },
          },
        ]
      : []),
    { type: 'section', fields },
  ];
  if (alert.leadUrl.length <= URL_MAX) {
    blocks.push({
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
    });
  }
  return {
    text: truncate(
      `${TIER_ICON[alert.tier]} ${alert.tier} lead (score ${alert.score}): ${escapeMrkdwn(who)}${alert.intent ? ` — ${escapeMrkdwn(alert.intent)}` : ''}`,
      SECTION_MAX,
    ),
    blocks,
  };
}

export function createSlackNotifier(opts: SlackNotifierOptions): SlackNotifier {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;

  const send = async (webhookUrl: string, message: SlackMessage): Promise<void> => {
    let res: SafeHttpResponse;
    try {
      res = await opts.http.request(webhookUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body: JSON.stringify(message),
        timeoutMs,
        maxResponseBytes: MAX_RESPONSE_BYTES,
      });
    } catch (err) {
      if (err instanceof UrlRefusedError)
        throw new NotifyError('slack', 'refused', `Slack webhook URL refused: it ${err.message}`, undefined, {
          cause: err,
        });
      if (err instanceof HttpRequestError && err.kind === 'timeout')
        throw new NotifyError('slack', 'timeout', `Slack did not answer within ${timeoutMs} ms`, undefined, {
          cause: err,
        });
      throw new NotifyError(
        'slack',
        'unavailable',
        `could not reach Slack: ${err instanceof Error ? err.message : String(err)}`,
        undefined,
        { cause: err },
      );
    }
    if (res.status >= 200 && res.status < 300) return;
    const said = res.body.toString('utf8').trim().slice(0, 200) || `HTTP ${res.status}`;
    if (res.status === 429) throw new NotifyError('slack', 'rate_limited', said, res.status);
    if (res.status >= 500) throw new NotifyError('slack', 'unavailable', said, res.status);
    // 403 invalid_token / action_prohibited, 404 no_service, 410 channel_is_archived: the webhook itself is gone or barred.
    if (res.status === 401 || res.status === 403 || res.status === 404 || res.status === 410)
      throw new NotifyError('slack', 'auth', said, res.status);
    throw new NotifyError('slack', 'rejected', said, res.status);
  };

  return {
    send,
    notifyLead: (webhookUrl, alert) => send(webhookUrl, buildLeadAlertMessage(alert)),
  };
}

function field(label: string, value: string): SlackText {
  return { type: 'mrkdwn', text: truncate(`*${label}*\n${escapeMrkdwn(value)}`, FIELD_MAX) };
}

/** The three characters Slack's mrkdwn treats as markup (links, mentions) are sent as entities, as Slack documents. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = max - 1;
  // Never split an emoji's surrogate pair: a lone half is not valid text and Slack refuses the payload.
  const last = text.charCodeAt(cut - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut -= 1;
  return `${text.slice(0, cut)}…`;
}
