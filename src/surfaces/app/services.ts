import type { SurfaceDeps } from '../../compose/services.js';

/** The services the web app's API uses; nothing else of the composition reaches it. */
export type AppDeps = SurfaceDeps<
  | 'appSessions'
  | 'signIn'
  | 'conversationQuery'
  | 'conversationLifecycle'
  | 'transfers'
  | 'leads'
  | 'ingestionRequests'
  | 'liveUpdates'
  | 'tenants'
  | 'platformActivity'
  | 'rangeAnalytics'
  | 'health'
  | 'usage'
  | 'appointments'
  | 'webhooks'
  | 'credentials'
  | 'users'
  | 'invitations'
>;
