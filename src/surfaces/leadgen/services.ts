import type { SurfaceDeps } from '../../compose/services.js';

/** The services this surface's routes use; nothing else of the composition reaches them. */
export type LeadgenDeps = SurfaceDeps<
  | 'health'
  | 'conversion'
  | 'leads'
  | 'tenants'
  | 'platform'
  | 'campaigns'
  | 'twilioCalls'
  | 'twilioVoice'
  | 'exotelCalls'
>;
