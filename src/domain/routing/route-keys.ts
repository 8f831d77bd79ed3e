import { channelSettings } from '../../channels/settings.js';
import { slackAppKey, slackTeamKey } from '../../channels/slack.js';
import { whatsappAccountKey, whatsappPhoneKey } from '../../channels/whatsapp.js';

/** The platforms whose webhooks find their tenant through `channel_routes`. */
export type RoutedChannel = 'whatsapp' | 'messenger' | 'slack' | 'telegram' | 'teams' | 'callrail';

/** One key a tenant's configuration claims, with the configuration field it comes from (for errors). */
export interface RouteKey {
  channel: RoutedChannel;
  externalKey: string;
  field: string;
}

const plain = (v: unknown): string | undefined =>
  typeof v === 'string' && v.trim() !== ''
    ? v.trim()
    : typeof v === 'number' && Number.isFinite(v)
      ? String(v)
      : undefined;

/**
 * The keys a configuration (secrets opened) routes by. They mirror what the webhooks match on:
 * WhatsApp by phone number id, or by business account when no number is set; Messenger by Page;
 * Slack by app and by workspace; CallRail by company. Telegram's and Teams' requests name nothing
 * of ours, so their keys are fingerprints of the tenant's token: no two tenants can share one,
 * and Telegram's header is looked up by its fingerprint.
 */
export function routeKeysOf(config: Record<string, unknown>, fingerprint: (secret: string) => string): RouteKey[] {
  const keys: RouteKey[] = [];
  const add = (channel: RoutedChannel, externalKey: string, field: string) => {
    if (!keys.some((k) => k.channel === channel && k.externalKey === externalKey))
      keys.push({ channel, externalKey, field: `configuration.${field}` });
  };
  const channels = config as { channels?: Record<string, unknown> };

  const whatsapp = channelSettings(channels, 'whatsapp');
  if (whatsapp?.phone_number_id)
    add('whatsapp', whatsappPhoneKey(whatsapp.phone_number_id), 'channels.whatsapp.phone_number_id');
  else if (whatsapp?.business_account_id)
    add('whatsapp', whatsappAccountKey(whatsapp.business_account_id), 'channels.whatsapp.business_account_id');

  const messenger = channelSettings(channels, 'messenger');
  if (messenger?.page_id) add('messenger', messenger.page_id, 'channels.messenger.page_id');

  const slack = channelSettings(channels, 'slack');
  if (slack?.app_id) add('slack', slackAppKey(slack.app_id), 'channels.slack.app_id');
  if (slack?.team_id) add('slack', slackTeamKey(slack.team_id), 'channels.slack.team_id');
  else if (slack?.workspace_id) add('slack', slackTeamKey(slack.workspace_id), 'channels.slack.workspace_id');

  const telegram = channelSettings(channels, 'telegram');
  if (telegram?.secret_token) add('telegram', fingerprint(telegram.secret_token), 'channels.telegram.secret_token');

  const teams = channelSettings(channels, 'teams');
  if (teams?.security_token) add('teams', fingerprint(teams.security_token), 'channels.teams.security_token');

  const company = plain(config.callrail_company_id);
  if (company) add('callrail', company, 'callrail_company_id');
  return keys;
}
