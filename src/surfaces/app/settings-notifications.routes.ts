import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { DEFAULT_ANSWER_WITHIN_MINUTES, DEFAULT_WAIT_LIMIT_MINUTES } from '../../domain/notifications/index.js';
import type { Tenant } from '../../domain/tenants/index.js';
import type { AppDeps } from './services.js';
import { saveSettings, settingsTenant } from './settings-save.js';
import { notificationsBody, type NotificationsBody } from './settings.schemas.js';

const tags = ['app: settings'];

/** Shows which Slack workspace hook is kept without giving the URL away: its host and last four characters. */
function maskedUrl(url: string | undefined): string | null {
  if (!url) return null;
  try {
    return `https://${new URL(url).host}/…${url.slice(-4)}`;
  } catch {
    return '…';
  }
}

/** The notification rules as the app shows them; the Slack URL is read opened only to mask it. */
function notificationsOf(tenant: Tenant, slackUrl: string | undefined) {
  const n = tenant.config.notifications ?? {};
  return {
    wait_limit_minutes: n.wait_limit_minutes ?? DEFAULT_WAIT_LIMIT_MINUTES,
    answer_within_minutes: n.answer_within_minutes ?? DEFAULT_ANSWER_WITHIN_MINUTES,
    email_enabled: n.email?.enabled !== false,
    sms_enabled: n.sms?.enabled === true,
    slack_webhook_url: maskedUrl(slackUrl),
    owner_email: n.owner_email ?? null,
    owner_phone: n.owner_phone ?? null,
    events: {
      hot_lead: n.events?.hot_lead !== false,
      pipeline_failed: n.events?.pipeline_failed !== false,
      webhook_disabled: n.events?.webhook_disabled !== false,
    },
  };
}

function notificationsPatch(body: NotificationsBody): Record<string, unknown> {
  const { email_enabled, sms_enabled, ...rest } = body;
  return {
    notifications: {
      ...rest,
      ...(email_enabled !== undefined ? { email: { enabled: email_enabled } } : {}),
      ...(sms_enabled !== undefined ? { sms: { enabled: sms_enabled } } : {}),
    },
  };
}

/** `/app/api/settings/notifications`: who is told of handoffs and owner notices, and how. */
export function registerNotificationSettingsRoutes(scope: FastifyInstance, deps: AppDeps): void {
  const app = scope.withTypeProvider<ZodTypeProvider>();
  const docs = {
    ok: {
      200: '`{ data: { wait_limit_minutes, answer_within_minutes, email_enabled, sms_enabled, slack_webhook_url, owner_email, owner_phone, events } }`',
    },
    errors: ['UNAUTHENTICATED', 'FORBIDDEN'] as const,
  };
  const view = async (tenant: Tenant) =>
    notificationsOf(
      tenant,
      (await deps.services.tenants.getConfigWithSecrets(tenant.id)).notifications?.slack_webhook_url,
    );
  app.get(
    '/app/api/settings/notifications',
    {
      schema: {
        tags,
        summary: 'The notification rules',
        description:
          'How long a handoff may wait before the owner is told, what the visitor is promised then, e-mail on or off, the Slack webhook (masked), the owner’s address, and which owner notices are sent.',
        docs,
      },
      config: { appSession: 'required' },
    },
    async (request) => ({ data: await view(await settingsTenant(request, deps)) }),
  );
  app.patch(
    '/app/api/settings/notifications',
    {
      schema: {
        body: notificationsBody,
        tags,
        summary: 'Change the notification rules',
        description: 'Only what is given changes; a null Slack URL or owner e-mail removes it.',
        docs: {
          ...docs,
          example: {
            wait_limit_minutes: 15,
            email_enabled: true,
            slack_webhook_url: 'https://hooks.slack.com/services/T000/B000/XXXX',
            events: { hot_lead: true, webhook_disabled: false },
          },
        },
      },
      config: { appSession: 'required' },
    },
    async (request) => ({
      data: await view(await saveSettings(request, deps, () => notificationsPatch(request.body))),
    }),
  );
}
