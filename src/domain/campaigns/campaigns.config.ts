import { z } from 'zod';

/**
 * Outbound campaigns' section of the tenant configuration (`campaigns`): which dialer places the
 * calls, the local hours a callee may be called, and the places search that sources businesses.
 * Twilio's account and number are `channels.twilio`'s; Exotel's are `channels.exotel`'s
 * (`account_sid`, `api_key`, `api_token`, `phone_number`, `api_base_url`). This file imports
 * nothing of ours so the tenant configuration schema can compose it.
 */
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time HH:MM');

export const campaignsConfigSection = z.looseObject({
  /** `simulator` (the default: no call leaves the machine), `twilio` or `exotel`. */
  dialer: z.enum(['simulator', 'twilio', 'exotel']).optional(),
  /** The callee's local hours calls may start in; 09:00–20:00 when unset. */
  calling_hours: z.object({ start: hhmm, end: hhmm }).optional(),
  /** A Google Places-shaped search API: its base URL (a proxy, a test fake) and key. */
  places: z.looseObject({ base_url: z.string().url().optional(), api_key: z.string().max(512).optional() }).optional(),
  /** Exotel does not sign its webhooks, so each carries this per-tenant token as `?token=`. */
  exotel: z.looseObject({ webhook_token: z.string().min(16).max(256).optional() }).optional(),
});
export type CampaignsConfig = z.infer<typeof campaignsConfigSection>;
