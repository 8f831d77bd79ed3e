import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { z } from 'zod';

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
