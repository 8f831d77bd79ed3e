import { hmacSha256 } from '../lib/crypto.js';
import { parseJsonOrUndefined } from '../lib/json.js';
import {
  header,
  rec,
  signedByAny,
  str,
  type Channel,
  type ChannelMessage,
  type Headers,
  type SignatureCheck,
} from './channel.js';
import type { ChannelSettings } from './settings.js';

/*
 * Slack request signing (api.slack.com/authentication/verifying-requests-from-slack):
 * `X-Slack-Signature: v0=<hex HMAC-SHA256 of "v0:{X-Slack-Request-Timestamp}:{raw body}">`,
 * keyed by the app's signing secret; a timestamp more than five minutes off is refused (replay).
 * One app URL receives Events API JSON (`url_verification`, `event_callback`), slash commands
 * (form-encoded) and interactivity (form-encoded `payload=<json>`).
 */

export const SLACK_WINDOW_SECONDS = 5 * 60;

export function verifySlackSignature(
  rawBody: Buffer,
  headers: Headers,
  secrets: string[],
  nowMs: number,
): SignatureCheck {
  const given = header(headers, 'x-slack-signature');
  const timestamp = header(headers, 'x-slack-request-timestamp');
  if (!given || !timestamp) return { ok: false, reason: 'missing_signature' };
  if (!/^v0=[0-9a-fA-F]{64}$/.test(given) || !/^\d{1,12}$/.test(timestamp))
    return { ok: false, reason: 'malformed_signature' };
  if (Math.abs(nowMs / 1000 - Number(timestamp)) > SLACK_WINDOW_SECONDS)
    return { ok: false, reason: 'stale_timestamp' };
  const base = Buffer.concat([Buffer.from(`v0:${timestamp}:`, 'utf8'), rawBody]);
  return signedByAny(given.slice(3).toLowerCase(), secrets, (s) => hmacSha256(s, base).toString('hex'));
}

export function signSlack(secret: string, timestamp: number, rawBody: Buffer | string): string {
  return `v0=${hmacSha256(secret, Buffer.concat([Buffer.from(`v0:${timestamp}:`, 'utf8'), Buffer.from(rawBody)])).toString('hex')}`;
}

/** Keys of a Slack tenant: its app and its workspace (prefixed, so the two kinds never collide). */
export const slackTeamKey = (teamId: string) => `team:${teamId}`;
export const slackAppKey = (appId: string) => `app:${appId}`;

export const slackChannel = {
  id: 'slack',
  label: 'Slack',
  recipients: (_request, body) => {
    const { teamId, appId } = slackRouting(body);
    const keys = [
      ...(appId !== undefined ? [slackAppKey(appId)] : []),
      ...(teamId !== undefined ? [slackTeamKey(teamId)] : []),
    ];
    return keys.length > 0 ? [{ id: teamId ?? appId!, label: `team ${teamId ?? '?'}, app ${appId ?? '?'}`, keys }] : [];
  },
  secretsOf: (s) => (s.signing_secret ? [s.signing_secret] : []),
  verify: (request, secrets, nowMs) => verifySlackSignature(request.rawBody, request.headers, secrets, nowMs),
  normalise: parseSlack,
} satisfies Channel<ChannelSettings, SlackRequest>;

export type SlackRequest =
  | { kind: 'url_verification'; challenge: string }
  | { kind: 'message'; teamId?: string; appId?: string; message: ChannelMessage }
  | { kind: 'slash_command'; teamId?: string; appId?: string; message: ChannelMessage; responseUrl?: string }
  | { kind: 'interaction'; teamId?: string; appId?: string; message: ChannelMessage; responseUrl?: string }
  /** Bot messages, edits, other event types: acknowledged and not processed. */
  | { kind: 'ignored'; teamId?: string; appId?: string; reason: string };

/** The workspace and app a request claims, for tenant routing before the signature is checked. */
export function slackRouting(body: unknown): { teamId?: string; appId?: string } {
  const b = rec(body);
  const payload = typeof b.payload === 'string' ? rec(parseJsonOrUndefined(b.payload)) : undefined;
  const teamId = str(b.team_id) ?? str(rec(payload?.team).id) ?? str(payload?.team_id);
  const appId = str(b.api_app_id) ?? str(payload?.api_app_id);
  return { ...(teamId ? { teamId } : {}), ...(appId ? { appId } : {}) };
}

export function parseSlack(body: unknown, receivedAt: Date): SlackRequest {
  const b = rec(body);
  const routing = slackRouting(body);
  if (b.type === 'url_verification') return { kind: 'url_verification', challenge: str(b.challenge) ?? '' };
  if (b.type === 'event_callback') {
    const event = rec(b.event);
    if (event.type !== 'message' && event.type !== 'app_mention')
      return { kind: 'ignored', ...routing, reason: `event ${str(event.type) ?? 'unknown'}` };
    // Our own posts (and every other bot's) come back as events; subtypes are edits, joins, deletions.
    if (event.bot_id !== undefined || event.subtype !== undefined)
      return {
        kind: 'ignored',
        ...routing,
        reason: event.bot_id !== undefined ? 'bot message' : `subtype ${str(event.subtype)}`,
      };
    const user = str(event.user);
    const channel = str(event.channel);
    const ts = str(event.ts);
    if (!user || !channel || !ts) return { kind: 'ignored', ...routing, reason: 'incomplete message event' };
    return {
      kind: 'message',
      ...routing,
      message: {
        channel: 'slack',
        // A message is unique by channel and ts; Slack's retries of the event carry the same pair.
        externalMessageId: `${channel}:${ts}`,
        platformUserId: user,
        replyTo: channel,
        text: str(event.text) ?? '',
        receivedAt: new Date(Number(ts) * 1000 || receivedAt.getTime()),
        context: { team_id: routing.teamId, ...(str(event.thread_ts) ? { thread_ts: str(event.thread_ts) } : {}) },
      },
    };
  }
  if (typeof b.payload === 'string') return parseInteraction(rec(parseJsonOrUndefined(b.payload)), routing, receivedAt);
  if (typeof b.command === 'string') {
    const user = str(b.user_id);
    const channel = str(b.channel_id);
    const trigger = str(b.trigger_id);
    if (!user || !channel || !trigger) return { kind: 'ignored', ...routing, reason: 'incomplete slash command' };
    const responseUrl = str(b.response_url);
    return {
      kind: 'slash_command',
      ...routing,
      ...(responseUrl ? { responseUrl } : {}),
      message: {
        channel: 'slack',
        externalMessageId: `command:${trigger}`,
        platformUserId: user,
        replyTo: channel,
        text: str(b.text) ?? '',
        ...(str(b.user_name) ? { senderName: str(b.user_name) } : {}),
        receivedAt,
        context: { team_id: routing.teamId, command: b.command, ...(responseUrl ? { response_url: responseUrl } : {}) },
      },
    };
  }
  return { kind: 'ignored', ...routing, reason: `type ${str(b.type) ?? 'unknown'}` };
}

/** A button tap: `block_actions` (Block Kit) or `interactive_message` (legacy attachments, as spec D's example uses). */
function parseInteraction(
  p: Record<string, unknown>,
  routing: { teamId?: string; appId?: string },
  receivedAt: Date,
): SlackRequest {
  const action = rec(Array.isArray(p.actions) ? p.actions[0] : undefined);
  const user = str(rec(p.user).id);
  const channel = str(rec(p.channel).id);
  const value = str(action.value);
  const id = str(p.trigger_id) ?? str(rec(p.container).message_ts) ?? str(p.action_ts);
  if (!user || !channel || !value || !id) return { kind: 'ignored', ...routing, reason: 'interaction without a value' };
  const responseUrl = str(p.response_url);
  return {
    kind: 'interaction',
    ...routing,
    ...(responseUrl ? { responseUrl } : {}),
    message: {
      channel: 'slack',
      externalMessageId: `action:${id}`,
      platformUserId: user,
      replyTo: channel,
      text: str(rec(action.text).text) ?? str(action.text) ?? str(action.name) ?? value,
      payload: value,
      receivedAt,
      context: { team_id: routing.teamId, ...(responseUrl ? { response_url: responseUrl } : {}) },
    },
  };
}
