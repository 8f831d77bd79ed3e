import type { SurfaceDeps } from '../../compose/services.js';

/** The services this surface's routes use; nothing else of the composition reaches them. */
export type ChatbotDeps = SurfaceDeps<
  | 'audit'
  | 'chatUsage'
  | 'channelWebhooks'
  | 'conversationAnalytics'
  | 'conversationExports'
  | 'conversationLifecycle'
  | 'conversationMessages'
  | 'conversationQuery'
  | 'conversationSummary'
  | 'credentials'
  | 'health'
  | 'inbox'
  | 'liveUpdates'
  | 'platformActivity'
  | 'sessions'
  | 'tenants'
  | 'transfers'
  | 'usage'
  | 'users'
>;
