import { z } from 'zod';

/**
 * Per-channel settings under the tenant configuration's `channels.<name>`. Every key ending in
 * `secret` or `token` is sealed at rest and masked in responses by the tenant config (SECRET_KEY);
 * routing keys (phone number id, Page id, workspace) are plain so webhooks can find the tenant.
 */
export const channelSettingsSchema = z.looseObject({
  enabled: z.boolean().optional(),
  /** Web: lets a visitor's page open a session with only `X-Tenant-ID`, from an allowed origin. */
  public_chat: z.boolean().optional(),
  /** Web: the origins (`https://shop.example`) whose pages may open sessions anonymously. */
  allowed_origins: z.array(z.string().url().max(256)).max(50).optional(),
  /** WhatsApp: the business number's id (`metadata.phone_number_id`), the routing key. */
  phone_number_id: z.string().max(64).optional(),
  /** WhatsApp: the business account (`entry[].id`), the routing key when no phone_number_id is set. */
  business_account_id: z.string().max(64).optional(),
  /** Messenger: the Page id (`entry[].id`), the routing key. */
  page_id: z.string().max(64).optional(),
  /** Slack: the workspace (`team_id`) and app (`api_app_id`) requests come from. */
  team_id: z.string().max(64).optional(),
  /** Spec D's name for the Slack team id. */
  workspace_id: z.string().max(64).optional(),
  app_id: z.string().max(64).optional(),
  /** Meta app secret (WhatsApp, Messenger): key of `X-Hub-Signature-256`. */
  app_secret: z.string().max(512).optional(),
  /** Graph API token (WhatsApp system-user token, Messenger Page token). */
  access_token: z.string().max(4096).optional(),
  /** Meta's `hub.verify_token` of the webhook subscription. */
  verify_token: z.string().max(512).optional(),
  /** Slack signing secret (`X-Slack-Signature`). */
  signing_secret: z.string().max(512).optional(),
  /** Slack bot token (`xoxb-…`) or Telegram bot token. */
  bot_token: z.string().max(512).optional(),
  /** Telegram: the `secret_token` given to setWebhook. */
  secret_token: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,256}$/, 'Telegram allows 1-256 characters A-Z, a-z, 0-9, _ and -')
    .optional(),
  /** Teams outgoing webhook: the base64 security token shown when the webhook was created. */
  security_token: z.string().max(512).optional(),
  /** Twilio: the account SID (`AC…`), the username of its REST API. */
  account_sid: z.string().max(64).optional(),
  /** Twilio: the auth token; signs `X-Twilio-Signature` and authenticates outbound SMS. */
  auth_token: z.string().max(512).optional(),
  /** Twilio: the number outbound SMS come from when the customer wrote to none of ours. */
  phone_number: z.string().max(32).optional(),
  /** Twilio voice: the number a caller who asks for a person is put through to. */
  transfer_number: z.string().max(32).optional(),
  /** Twilio SMS: the owner's mobile; a text from it is answered with the owner's day, not a conversation. */
  owner_phone: z.string().max(32).optional(),
  /** Vendor API base URL (a proxy or a test fake); the vendor's own by default. */
  api_base_url: z.string().url().optional(),
  api_version: z
    .string()
    .regex(/^v\d+\.\d+$/, 'must look like v21.0')
    .optional(),
  /** WhatsApp: the approved template sent outside the 24-hour customer-service window. */
  reengagement_template: z
    .looseObject({
      name: z.string().min(1).max(512),
      language: z.string().min(2).max(16).default('en_US'),
      /** Pass the held message's text as the template's {{1}}. */
      include_text: z.boolean().default(false),
    })
    .optional(),
});
export type ChannelSettings = z.infer<typeof channelSettingsSchema>;

/** The settings of one channel from a configuration (secrets as given: open them first to use them). */
export function channelSettings(
  config: { channels?: Record<string, unknown> | undefined },
  channel: string,
): ChannelSettings | undefined {
  const raw = config.channels?.[channel];
  if (raw === undefined || raw === null) return undefined;
  const parsed = channelSettingsSchema.safeParse(raw);
  return parsed.success && parsed.data.enabled !== false ? parsed.data : undefined;
}
