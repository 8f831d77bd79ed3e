import { hmacSha256 } from '../lib/crypto.js';
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
 * Microsoft Teams outgoing webhooks (learn.microsoft.com/microsoftteams/platform/webhooks-and-connectors/how-to/add-outgoing-webhook):
 * Teams posts a Bot Framework message activity with `Authorization: HMAC <base64 HMAC-SHA256 of
 * the raw body>`, keyed by the base64-decoded security token shown when the webhook is created.
 * The reply is the HTTP response body, a message activity, within five seconds; an outgoing
 * webhook cannot send anything later.
 */

export function verifyTeamsSignature(rawBody: Buffer, headers: Headers, securityTokens: string[]): SignatureCheck {
  const given = header(headers, 'authorization');
  if (!given) return { ok: false, reason: 'missing_signature' };
  const match = /^HMAC ([A-Za-z0-9+/]+={0,2})$/.exec(given.trim());
  if (!match) return { ok: false, reason: 'malformed_signature' };
  return signedByAny(match[1]!, securityTokens, (t) =>
    hmacSha256(Buffer.from(t, 'base64'), rawBody).toString('base64'),
  );
}

/** A Teams request names nothing of ours: the tenant is the one whose security token verifies it. */
export const teamsChannel = {
  id: 'teams',
  label: 'Teams',
  recipients: () => [],
  secretsOf: (s) => (s.security_token ? [s.security_token] : []),
  verify: (request, secrets) => verifyTeamsSignature(request.rawBody, request.headers, secrets),
  normalise: parseTeams,
} satisfies Channel<ChannelSettings, ChannelMessage | undefined>;

export function signTeams(securityToken: string, rawBody: Buffer | string): string {
  return `HMAC ${hmacSha256(Buffer.from(securityToken, 'base64'), rawBody).toString('base64')}`;
}

export function parseTeams(body: unknown, receivedAt: Date): ChannelMessage | undefined {
  const a = rec(body);
  if (a.type !== 'message') return undefined;
  const id = str(a.id);
  const from = rec(a.from);
  const user = str(from.aadObjectId) ?? str(from.id);
  const conversation = str(rec(a.conversation).id);
  if (!id || !user) return undefined;
  const channelData = rec(a.channelData);
  const stamp = str(a.timestamp);
  return {
    channel: 'teams',
    externalMessageId: id,
    platformUserId: user,
    ...(conversation ? { replyTo: conversation } : {}),
    text: stripMentions(str(a.text) ?? ''),
    ...(str(from.name) ? { senderName: str(from.name) } : {}),
    receivedAt: stamp && !Number.isNaN(Date.parse(stamp)) ? new Date(stamp) : receivedAt,
    context: {
      ...(str(a.serviceUrl) ? { service_url: str(a.serviceUrl) } : {}),
      ...(str(rec(channelData.tenant).id) ? { ms_tenant_id: str(rec(channelData.tenant).id) } : {}),
      ...(str(channelData.teamsChannelId) ? { teams_channel_id: str(channelData.teamsChannelId) } : {}),
    },
  };
}

/** An outgoing webhook is only called when someone @mentions it; the mention is not part of what they said. */
export function stripMentions(text: string): string {
  return text
    .replace(/<at>[^<]*<\/at>/gi, ' ')
    .replace(/<[^<>]*>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}
