import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { z } from 'zod';
import { isE164Phone } from '../../lib/phone.js';

export const LEAD_SOURCES = ['website_form', 'api', 'csv', 'webhook'] as const;

/** A lead to qualify: `email` and `company` required, e-mail well formed, phone parseable when given. */
export const qualifyLeadSchema = z.object({
  email: z.email('must be a valid email address').max(320),
  company: z.string().trim().min(1, 'is required').max(300),
  name: z.string().trim().max(300).optional(),
  message: z.string().max(20_000).optional(),
  phone: z
    .string()
    .max(40)
    .refine((v) => parsePhoneNumberFromString(v, 'US')?.isPossible() === true, 'must be a valid phone number')
    .optional(),
  source: z.enum(LEAD_SOURCES).optional(),
  metadata: z.record(z.string(), z.unknown()).optional(),
});
export type QualifyLeadInput = z.infer<typeof qualifyLeadSchema>;

export const LEAD_OUTCOMES = ['won', 'lost', 'open'] as const;
export type LeadOutcome = (typeof LEAD_OUTCOMES)[number];

/**
 * Where a lead stands. `qualified` is an open lead (scored on arrival, nobody has worked it yet);
 * `contacted` and `interested` are the steps of an outbound conversation; `won` and `lost` close it.
 */
export const LEAD_STATUSES = ['qualified', 'contacted', 'interested', 'won', 'lost'] as const;
export type LeadStatus = (typeof LEAD_STATUSES)[number];

/** An international number with its country code (`+919876543210`): outbound calls dial it as given. */
export const e164PhoneSchema = z
  .string()
  .trim()
  .max(40)
  .refine(isE164Phone, 'Invalid phone number format: an E.164 number with its country code, like +919876543210');

const text = (max: number) => z.string().trim().min(1).max(max);

/** A lead entered by hand or by a lead list (spec B): the phone is its key, one lead per phone. */
export const listedLeadSchema = z.object({
  phone: e164PhoneSchema,
  company_name: text(300).optional(),
  contact_name: text(300).optional(),
  email: z.email('must be a valid email address').max(320).optional(),
  city: text(120).optional(),
  category: text(120).optional(),
  niche: text(80).optional(),
});
export type ListedLeadInput = z.infer<typeof listedLeadSchema>;
