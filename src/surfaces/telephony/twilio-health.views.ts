import { z } from 'zod';

const rateOf = (errors: number, requests: number) =>
  requests > 0 ? Math.round((errors / requests) * 1e4) / 1e4 : null;

const rate = z.number().nullable().describe('errors / requests; null before the first request');

const webhookFigures = z.object({
  voice_requests: z.number(),
  voice_errors: z.number(),
  voice_error_rate: rate,
  sms_requests: z.number(),
  sms_errors: z.number(),
  sms_error_rate: rate,
});

export const businessTwilioView = webhookFigures.extend({ business_id: z.string() });

/** One business's Twilio webhook figures from its `twilio_by_business` entry (zeros without one). */
export function businessTwilioOf(
  businessId: string,
  f: Record<string, number> = {},
): z.infer<typeof businessTwilioView> {
  const [voiceRequests, voiceErrors] = [f.voice_requests ?? 0, f.voice_errors ?? 0];
  const [smsRequests, smsErrors] = [f.sms_requests ?? 0, f.sms_errors ?? 0];
  return {
    business_id: businessId,
    voice_requests: voiceRequests,
    voice_errors: voiceErrors,
    voice_error_rate: rateOf(voiceErrors, voiceRequests),
    sms_requests: smsRequests,
    sms_errors: smsErrors,
    sms_error_rate: rateOf(smsErrors, smsRequests),
  };
}

export const twilioHealthView = z.object({
  twilio_voice_requests: z.number(),
  twilio_voice_errors: z.number(),
  twilio_sms_requests: z.number(),
  twilio_sms_errors: z.number(),
  businesses: z.array(businessTwilioView),
});

/** What the health view reads of spec C's `/metrics` counters. */
export interface TwilioCounters {
  twilio_voice_requests: number;
  twilio_voice_errors: number;
  twilio_sms_requests: number;
  twilio_sms_errors: number;
  twilio_by_business: Record<string, Record<string, number>>;
}

/**
 * Twilio webhook health since the process started, per tenant from `twilio_by_business`. A request
 * that never named a tenant (unknown business, bad key) counts only in the totals.
 */
export function twilioHealthOf(counters: TwilioCounters): z.infer<typeof twilioHealthView> {
  const businesses = Object.entries(counters.twilio_by_business)
    .map(([businessId, fields]) => businessTwilioOf(businessId, fields))
    .sort((a, b) => a.business_id.localeCompare(b.business_id));
  return {
    twilio_voice_requests: counters.twilio_voice_requests,
    twilio_voice_errors: counters.twilio_voice_errors,
    twilio_sms_requests: counters.twilio_sms_requests,
    twilio_sms_errors: counters.twilio_sms_errors,
    businesses,
  };
}
