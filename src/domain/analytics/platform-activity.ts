import type { PlatformActivityReadModel } from './platform-activity.repo.js';

/** The chat load of the whole platform over the last `seconds`. */
export interface PlatformActivity {
  over(seconds: number): Promise<{ activeConversations: number; messagesProcessed: number }>;
}

export function createPlatformActivity(deps: {
  readModel: PlatformActivityReadModel;
  clock: { now(): Date };
}): PlatformActivity {
  return {
    async over(seconds) {
      const from = new Date(deps.clock.now().getTime() - seconds * 1000).toISOString();
      const [activeConversations, messagesProcessed] = await Promise.all([
        deps.readModel.activeConversationsSince(from),
        deps.readModel.inboundMessagesSince(from),
      ]);
      return { activeConversations, messagesProcessed };
    },
  };
}
