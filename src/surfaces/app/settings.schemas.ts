import { z } from 'zod';
import { e164Phone } from '../../domain/notifications/index.js';

/**
 * The bodies of the settings sections beyond the profile and hours: services and prices, the
 * knowledge base, channels and notification rules. One schema per input, each also the OpenAPI
 * document's; the tenant configuration's own schema checks the saved result once more.
 */

const optionalText = (max: number) => z.string().trim().max(max).nullable();

export const servicesBody = z.object({
  services: z
    .array(
      z.object({
        /** Kept from the list read; a new service gets one made from its name. */
        id: z.string().min(1).max(64).optional(),
        name: z.string().trim().min(1).max(200),
        price: optionalText(200),
        keywords: z.array(z.string().trim().min(1).max(100)).max(100),
      }),
    )
    .max(200)
    .refine((list) => {
      const ids = list.flatMap((s) => (s.id ? [s.id] : []));
      return new Set(ids).size === ids.length;
    }, 'names a service id twice'),
});
export type ServicesBody = z.infer<typeof servicesBody>;

export const knowledgeEntryBody = z.object({
  question: z.string().trim().min(1).max(1000),
  answer: z.string().trim().min(1).max(10000),
});

export const knowledgeParams = z.object({ id: z.string().regex(/^faq_\d{1,4}$/, 'must be an entry id such as faq_1') });

/** The non-secret settings a channel may show and the app may change. */
export const CHANNEL_FIELDS = [
  'phone_number_id',
  'business_account_id',
  'page_id',
  'team_id',
  'app_id',
  'account_sid',
  'phone_number',
  'transfer_number',
  'owner_phone',
] as const;
/** The secrets a channel keeps: written here, never read back, only whether each is set. */
export const CHANNEL_SECRETS = [
  'app_secret',
  'access_token',
  'verify_token',
  'signing_secret',
  'bot_token',
  'secret_token',
  'security_token',
  'auth_token',
] as const;
export const CHANNEL_NAMES = ['whatsapp', 'messenger', 'slack', 'teams', 'telegram', 'twilio'] as const;
export type ChannelName = (typeof CHANNEL_NAMES)[number];
export type ChannelField = (typeof CHANNEL_FIELDS)[number];
export type ChannelSecret = (typeof CHANNEL_SECRETS)[number];

export const channelParams = z.object({ channel: z.enum(CHANNEL_NAMES) });

export const channelBody = z.object({
  enabled: z.boolean().optional(),
  /** An empty or null value removes the field. */
  fields: z.partialRecord(z.enum(CHANNEL_FIELDS), optionalText(64)).optional(),
  /** A new value replaces the secret; null removes it. */
  secrets: z.partialRecord(z.enum(CHANNEL_SECRETS), z.string().trim().min(1).max(4096).nullable()).optional(),
});
export type ChannelBody = z.infer<typeof channelBody>;

const minutes = (max: number) => z.number().int().min(1).max(max);
export const notificationsBody = z.object({
  wait_limit_minutes: minutes(24 * 60).optional(),
  answer_within_minutes: minutes(7 * 24 * 60).optional(),
  email_enabled: z.boolean().optional(),
  /** Texts cost the tenant money, so they are off until turned on. */
  sms_enabled: z.boolean().optional(),
  /** A Slack incoming webhook (https); null removes it. Never read back whole. */
  slack_webhook_url: z
    .url({ protocol: /^https$/, message: 'must be an https URL' })
    .max(2000)
    .nullable()
    .optional(),
  owner_email: z.email({ message: 'must be an e-mail address' }).max(254).nullable().optional(),
  /** The owner's mobile (E.164) for texted notices when no owner user gave one; null removes it. */
  owner_phone: e164Phone.nullable().optional(),
  events: z
    .object({
      hot_lead: z.boolean().optional(),
      pipeline_failed: z.boolean().optional(),
      webhook_disabled: z.boolean().optional(),
    })
    .optional(),
});
export type NotificationsBody = z.infer<typeof notificationsBody>;
