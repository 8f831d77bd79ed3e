import type { SurfaceDeps } from '../../compose/services.js';

/** The services this surface's routes use; nothing else of the composition reaches them. */
export type TelephonyDeps = SurfaceDeps<
  | 'appointments'
  | 'compliance'
  | 'contacts'
  | 'conversationQuery'
  | 'conversationReview'
  | 'credentials'
  | 'ownerAnalytics'
  | 'reminders'
  | 'speech'
  | 'tenants'
  | 'twilioSms'
  | 'twilioVoice'
  | 'usage'
  | 'voiceSessions'
>;
