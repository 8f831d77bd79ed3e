import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { z } from 'zod';

/**
 * The bodies of the inbound call and lead webhooks, as the intake accepts them. Every string is
 * bounded: a body's unknown fields are stored and later exported.
 */

const TENANT_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
const text = (max: number) => z.string().max(max);

/** Longest text one custom field may hold, and how many a body may carry. */
const CUSTOM_FIELD_MAX_CHARS = 10_000;
const CUSTOM_FIELDS_MAX = 100;
/** Longest text anywhere else in a webhook body (the project description's own limit). */
const BODY_TEXT_MAX_CHARS = 20_000;
/** CallRail's own webhook carries the call's transcription, which runs long on a long call. */
const NATIVE_TEXT_MAX_CHARS = 200_000;

/**
 * Every string in `value`, however deep, at most `max` characters: a body's unknown fields are
 * stored and later exported, so none may be unbounded. An issue names the first too-long field.
 */
function stringsAtMost(max: number) {
  return (value: unknown, ctx: z.RefinementCtx): void => {
    const walk = (v: unknown, path: (string | number)[]): boolean => {
      if (typeof v === 'string') {
        if (v.length <= max) return true;
        ctx.addIssue({
          code: 'too_big',
          maximum: max,
          origin: 'string',
          inclusive: true,
          input: v,
          path,
          message: `must be at most ${max} characters`,
        });
        return false;
      }
      if (Array.isArray(v)) return v.every((item, i) => walk(item, [...path, i]));
      if (v !== null && typeof v === 'object') return Object.entries(v).every(([k, item]) => walk(item, [...path, k]));
      return true;
    };
    walk(value, []);
  };
}

const customFields = z
  .record(z.string().max(100), z.unknown())
  .refine((fields) => Object.keys(fields).length <= CUSTOM_FIELDS_MAX, `must have at most ${CUSTOM_FIELDS_MAX} fields`)
  .superRefine(stringsAtMost(CUSTOM_FIELD_MAX_CHARS));
const numeric = z.union([z.number(), z.string().regex(/^\d+(\.\d+)?$/, 'must be a number')]);

/** The CallRail webhook body the ingestion document defines. Unknown fields are kept: they are stored as the original payload. */
export const callrailWebhookSchema = z
  .looseObject({
    call_id: z.string({ error: 'required field missing' }).trim().min(1, 'required field missing').max(128),
    tenant_id: z.string().regex(TENANT_ID, 'invalid format - must be alphanumeric').optional(),
    caller_id: text(40).optional(),
    caller_name: text(200).optional(),
    duration: numeric.optional(),
    answered: z.boolean().optional(),
    start_time: z.iso.datetime({ offset: true }).optional(),
    end_time: z.iso.datetime({ offset: true }).optional(),
    recording_url: z.url().optional(),
    recording_duration: numeric.optional(),
    tracking_phone_number: text(40).optional(),
    business_phone_number: text(40).optional(),
    tags: z.array(text(100)).max(100).optional(),
    lead_status: text(64).optional(),
    value: text(64).optional(),
    company_id: z.union([z.string().max(64), z.number()]).optional(),
    custom_fields: customFields.optional(),
  })
  .superRefine(stringsAtMost(BODY_TEXT_MAX_CHARS));
export type CallrailWebhook = z.infer<typeof callrailWebhookSchema>;

const e164 = z
  .string()
  .refine(
    (v) => /^\+[1-9]\d{6,14}$/.test(v) && parsePhoneNumberFromString(v)?.isPossible() === true,
    'must be an E.164 phone number such as +15551234567',
  );

/** The direct lead webhook body. */
export const leadWebhookSchema = z
  .looseObject({
    tenant_id: z.string().regex(TENANT_ID, 'invalid format - must be alphanumeric').optional(),
    source: z.enum(['website_form', 'webform', 'api', 'landing_page', 'chat', 'referral']).default('api'),
    customer_name: text(200).optional(),
    customer_phone: e164.optional(),
    customer_email: z.email('must be a valid email address').max(320).optional(),
    project_type: text(100).optional(),
    project_description: text(20_000).optional(),
    budget_range: z
      .string()
      .regex(/^\d+(-\d+)?\+?$/, 'must look like 25000-50000')
      .optional(),
    timeline: z
      .enum(['immediate', 'asap', '0-1_months', '1-3_months', '3-6_months', '6-12_months', '12+_months', 'flexible'])
      .optional(),
    contact_preferences: z
      .array(z.enum(['phone', 'email', 'sms', 'text']))
      .max(4)
      .optional(),
    custom_fields: customFields.optional(),
  })
  .refine((b) => b.customer_phone !== undefined || b.customer_email !== undefined, {
    message: 'customer_phone or customer_email is required',
    path: ['customer_phone'],
  })
  .superRefine(stringsAtMost(BODY_TEXT_MAX_CHARS));
export type LeadWebhook = z.infer<typeof leadWebhookSchema>;

/**
 * CallRail's own post-call webhook: the call resource as its API v3 returns it, signed with the
 * company's signing key. Only the fields the pipeline reads are named.
 */
export const callrailNativeSchema = z
  .looseObject({
    resource_id: z.string().min(1).max(128).optional(),
    id: z.union([z.string(), z.number()]).optional(),
    company_resource_id: z.string().max(64).optional(),
    company_id: z.union([z.string(), z.number()]).optional(),
    customer_phone_number: z.string().max(40).nullish(),
    customer_name: z.string().max(200).nullish(),
    duration: z.union([z.number(), z.string()]).nullish(),
    answered: z.boolean().nullish(),
    start_time: z.string().nullish(),
    recording: z.string().nullish(),
    tracking_phone_number: z.string().nullish(),
    business_phone_number: z.string().nullish(),
    tags: z.array(z.union([z.string(), z.looseObject({ name: z.string() })])).nullish(),
    lead_status: z.string().nullish(),
    value: z.union([z.string(), z.number()]).nullish(),
  })
  .superRefine(stringsAtMost(NATIVE_TEXT_MAX_CHARS));
export type CallrailNative = z.infer<typeof callrailNativeSchema>;
