import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { AppError } from '../../domain/errors.js';
import type { Tenant } from '../../domain/tenants/index.js';
import type { AppDeps } from './services.js';
import { saveSettings, settingsTenant } from './settings-save.js';
import {
  CHANNEL_NAMES,
  channelBody,
  channelParams,
  type ChannelBody,
  type ChannelField,
  type ChannelName,
  type ChannelSecret,
} from './settings.schemas.js';

const tags = ['app: settings'];

/** Each channel's label, its plain settings, and its secrets; the first secret is the one its webhooks are verified with. */
const CHANNELS: Record<ChannelName, { label: string; fields: ChannelField[]; secrets: ChannelSecret[] }> = {
  whatsapp: {
    label: 'WhatsApp',
    fields: ['phone_number_id', 'business_account_id'],
    secrets: ['app_secret', 'access_token', 'verify_token'],
  },
  messenger: { label: 'Messenger', fields: ['page_id'], secrets: ['app_secret', 'access_token', 'verify_token'] },
  slack: { label: 'Slack', fields: ['team_id', 'app_id'], secrets: ['signing_secret', 'bot_token'] },
  teams: { label: 'Microsoft Teams', fields: [], secrets: ['security_token'] },
  telegram: { label: 'Telegram', fields: [], secrets: ['secret_token', 'bot_token'] },
  twilio: {
    label: 'Twilio (SMS and calls)',
    fields: ['account_sid', 'phone_number', 'transfer_number', 'owner_phone'],
    secrets: ['auth_token'],
  },
};

type Kept = Record<string, unknown>;

/**
 * One channel as the app shows it: `connected` when it is on and holds the secret its webhooks are
 * verified with, `off` when turned off, else `not_connected`. Secrets only say whether they are set.
 */
function channelView(name: ChannelName, kept: Kept | undefined) {
  const spec = CHANNELS[name];
  const has = (key: string) => typeof kept?.[key] === 'string' && kept[key] !== '';
  const enabled = kept !== undefined && kept.enabled !== false;
  const status = kept?.enabled === false ? 'off' : has(spec.secrets[0]!) ? 'connected' : 'not_connected';
  return {
    channel: name,
    label: spec.label,
    status,
    enabled,
    fields: Object.fromEntries(spec.fields.map((f) => [f, has(f) ? (kept![f] as string) : null])),
    secrets: Object.fromEntries(spec.secrets.map((s) => [s, has(s)])),
  };
}

const channelsOf = (tenant: Tenant) => CHANNEL_NAMES.map((name) => channelView(name, tenant.config.channels?.[name]));

/** The configuration patch of `channels.<name>`; a field or secret the channel does not have is refused. */
function channelPatch(name: ChannelName, body: ChannelBody): Record<string, unknown> {
  const spec = CHANNELS[name];
  const foreign = [
    ...Object.keys(body.fields ?? {})
      .filter((f) => !spec.fields.includes(f as ChannelField))
      .map((f) => `fields.${f}`),
    ...Object.keys(body.secrets ?? {})
      .filter((s) => !spec.secrets.includes(s as ChannelSecret))
      .map((s) => `secrets.${s}`),
  ];
  if (foreign.length > 0)
    throw new AppError('VALIDATION', `${spec.label} has no such setting`, {
      fields: foreign.map((field) => ({ field, issue: `not a setting of ${name}` })),
    });
  const fields = Object.entries(body.fields ?? {}).map(([k, v]): [string, string | null] => [
    k,
    v?.trim() ? v.trim() : null,
  ]);
  const patch: Record<string, unknown> = { ...Object.fromEntries(fields), ...body.secrets };
  return { channels: { [name]: { ...patch, ...(body.enabled !== undefined ? { enabled: body.enabled } : {}) } } };
}

/** `/app/api/settings/channels`: which messaging channels are connected, their plain settings, secrets write-only. */
export function registerChannelSettingsRoutes(scope: FastifyInstance, deps: AppDeps): void {
  const app = scope.withTypeProvider<ZodTypeProvider>();
  const errors = ['UNAUTHENTICATED', 'FORBIDDEN'] as const;
  app.get(
    '/app/api/settings/channels',
    {
      schema: {
        tags,
        summary: 'The messaging channels and whether each is connected',
        description:
          'Every channel the assistant can answer on: `status` (`connected`, `off`, `not_connected`), `enabled`, its plain settings, and for each secret only whether it is set.',
        docs: { ok: { 200: '`{ data: [{ channel, label, status, enabled, fields, secrets }] }`' }, errors },
      },
      config: { appSession: 'required' },
    },
    async (request) => ({ data: channelsOf(await settingsTenant(request, deps)) }),
  );
  app.patch(
    '/app/api/settings/channels/:channel',
    {
      schema: {
        params: channelParams,
        body: channelBody,
        tags,
        summary: 'Turn a channel on or off, change its settings or replace a secret',
        description:
          'Only what is given changes. A secret is written, never read back; an empty field or a null secret is removed. A routing key another business holds is refused.',
        docs: {
          ok: { 200: '`{ data: { channel, label, status, enabled, fields, secrets } }`' },
          errors,
          example: { enabled: true, fields: { page_id: '104728391' }, secrets: { app_secret: 'meta-app-secret' } },
        },
      },
      config: { appSession: 'required' },
    },
    async (request) => {
      const { channel } = request.params;
      const tenant = await saveSettings(request, deps, () => channelPatch(channel, request.body));
      return { data: channelView(channel, tenant.config.channels?.[channel]) };
    },
  );
}
