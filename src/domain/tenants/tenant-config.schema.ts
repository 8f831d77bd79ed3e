import { z } from 'zod';
import { aiConfigSection, aiModelsSection, enrichmentSection, scoringSection } from '../ai/ai.config.js';
import { campaignsConfigSection } from '../campaigns/campaigns.config.js';
import { complianceConfigSection } from '../compliance/compliance.config.js';
import { crmConfigSection } from '../crm/crm.config.js';
import { notificationsConfigSection } from '../notifications/notifications.config.js';
import { remindersConfigSection, retentionConfigSection } from '../reminders/reminders.config.js';
import { channelSettingsSchema } from '../../channels/settings.js';
import { rateLimitOverrideSchema } from './plans.config.js';
import { securitySection } from './security.config.js';
import { textToSpeechSection } from '../voice/voice.config.js';

/**
 * The one tenant configuration model. Spec D calls it `configuration` (general, chatbot,
 * channels, integrations, ai_models, business_hours, branding); spec A calls parts of it
 * `config` (crm_config, ai_config, notification_config, callrail_company_id); spec C adds
 * reminder and retention settings. Sections accept extra keys because every spec's
 * examples add fields of their own; the fields we act on are typed.
 *
 * A concept that owns a section keeps it in its `*.config.ts`, composed here in the order the
 * stored JSON has always had. Those files import nothing of ours, so this schema reaches them
 * directly rather than through their concepts' doors: the doors lead back here through every
 * concept that reads a configuration, which would tie them in a cycle.
 */

const isTimeZone = (tz: string): boolean => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};

export const timezoneSchema = z.string().refine(isTimeZone, 'must be an IANA time zone such as America/New_York');

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'must be a time HH:MM');
const day = z.looseObject({ start: hhmm.optional(), end: hhmm.optional(), closed: z.boolean().optional() });
const weekdays = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;

const isoDate = z.iso.date({ message: 'must be a date YYYY-MM-DD' });
/** Dates (in the tenant's time zone) the business is closed all day, whatever the weekday's hours say. */
const holidays = z
  .array(z.object({ date: isoDate, name: z.string().trim().max(100).optional() }))
  .max(366)
  .refine((list) => new Set(list.map((h) => h.date)).size === list.length, 'names a date twice');

export const businessHoursSchema = z.looseObject({
  ...(Object.fromEntries(weekdays.map((d) => [d, day.optional()])) as Record<
    (typeof weekdays)[number],
    z.ZodOptional<typeof day>
  >),
  holidays: holidays.optional(),
});

const probability = z.number().min(0).max(1);
const score = z.number().min(0).max(100);

export const tenantConfigSchema = z.looseObject({
  general: z
    .looseObject({
      default_language: z.string().min(2).max(16).optional(),
      timezone: timezoneSchema.optional(),
      currency: z.string().length(3).optional(),
      date_format: z.string().optional(),
    })
    .optional(),
  chatbot: z
    .looseObject({
      default_greeting: z.string().max(2000).optional(),
      fallback_response: z.string().max(2000).optional(),
      escalation_trigger: z.string().optional(),
      confidence_threshold: probability.optional(),
      out_of_hours_message: z.string().max(2000).optional(),
      /** The number the assistant gives for an emergency while the business is closed. */
      on_call_phone: z
        .string()
        .trim()
        .regex(/^\+?[\d\s().-]{7,30}$/, 'must be a phone number')
        .optional(),
      collect_fields: z.array(z.enum(['name', 'phone', 'email', 'service', 'address', 'preferred_time'])).optional(),
      /** What the assistant answers questions from: FAQ entries and longer documents (chunked into passages). */
      knowledge_base: z
        .looseObject({
          faqs: z
            .array(z.object({ question: z.string().min(1).max(1000), answer: z.string().min(1).max(10000) }))
            .max(500)
            .optional(),
          documents: z
            .array(z.object({ title: z.string().min(1).max(300), content: z.string().min(1).max(200000) }))
            .max(100)
            .optional(),
        })
        .optional(),
    })
    .optional(),
  /** Per messaging channel (`whatsapp`, `messenger`, `slack`, `teams`, `telegram`): routing keys, credentials, secrets (src/channels/settings.ts). */
  channels: z.record(z.string(), channelSettingsSchema).optional(),
  integrations: z
    .record(z.string(), z.looseObject({ provider: z.string().optional(), enabled: z.boolean().optional() }))
    .optional(),
  ai_models: aiModelsSection.optional(),
  business_hours: businessHoursSchema.optional(),
  /** Company data for leads: the local engine's own by default, or a Clearbit/Apollo-style API. */
  enrichment: enrichmentSection.optional(),
  branding: z
    .looseObject({
      primary_color: z
        .string()
        .regex(/^#[0-9a-fA-F]{3,8}$/, 'must be a hex colour')
        .optional(),
      secondary_color: z
        .string()
        .regex(/^#[0-9a-fA-F]{3,8}$/, 'must be a hex colour')
        .optional(),
      logo_url: z.string().url().optional(),
      company_name: z.string().optional(),
    })
    .optional(),
  features: z.looseObject({}).optional(),
  rate_limits: rateLimitOverrideSchema.optional(),
  /** The business's service catalogue: project types it sells, the words customers use for them and what each costs. */
  services: z
    .array(
      z.looseObject({
        id: z.string().min(1).max(64),
        name: z.string().max(200).optional(),
        keywords: z.array(z.string().max(100)).max(100).default([]),
        /** What the service costs, as the business says it ("from $120", "$90 an hour"); the assistant quotes it. */
        price: z.string().trim().max(200).optional(),
      }),
    )
    .max(200)
    .optional(),
  callrail_company_id: z.string().max(64).optional(),
  callrail: z
    .looseObject({
      /** Which inbound signature a tenant accepts: spec A's HMAC-SHA256 over timestamp.body, CallRail's own, or both. */
      signature_scheme: z.enum(['spec_hmac_sha256', 'callrail_signature', 'both']).optional(),
    })
    .optional(),
  security: securitySection.optional(),
  crm_config: crmConfigSection.optional(),
  text_to_speech: textToSpeechSection.optional(),
  ai_config: aiConfigSection.optional(),
  notification_config: z
    .looseObject({
      slack_webhook: z.string().optional(),
      email_alerts: z.array(z.string().email()).optional(),
      high_value_threshold: score.optional(),
    })
    .optional(),
  /** Upcoming-appointment reminders and follow-ups (src/domain/reminders). */
  reminders: remindersConfigSection.optional(),
  /** Retention messages to past customers (src/domain/reminders). */
  retention: retentionConfigSection.optional(),
  scoring: scoringSection.optional(),
  /** SMS consent replies (HELP, STOP, START) and the hours outbound SMS may go out (src/domain/compliance). */
  compliance: complianceConfigSection.optional(),
  /** Who is told of handoffs, unanswered handoffs and owner notices, and through which channels (src/domain/notifications). */
  notifications: notificationsConfigSection.optional(),
  /** Spec B's outbound campaigns: dialer, calling hours, places search (src/domain/campaigns). */
  campaigns: campaignsConfigSection.optional(),
});

export type TenantConfig = z.infer<typeof tenantConfigSchema>;

/**
 * Keys whose string values are secrets: sealed at rest, shown as `***hidden***`. A Slack incoming
 * webhook URL (spec A's `slack_webhook`) is one too: whoever holds it can post to the channel.
 */
export const SECRET_KEY =
  /(secret|token|password|api_key|apikey|private_key|access_key|credentials|slack_webhook(_url)?)$/i;
export const HIDDEN = '***hidden***';
