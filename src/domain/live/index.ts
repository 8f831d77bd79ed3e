import type { LiveBus } from './live-bus.js';
import { createLiveUpdatesService, type LiveUpdatesDeps, type LiveUpdatesService } from './live.service.js';

export { topicOf } from './live-bus.js';
export type { LiveBus, LiveEvent, LiveEventType, LiveSubscription, LiveTopic } from './live-bus.js';
export type { LiveUpdatesService } from './live.service.js';

/**
 * Live updates for agents (the one door of the live concept). `LiveBus` is the port the pub/sub
 * twins in src/pubsub implement; the bus itself is chosen at composition.
 */
export function createLiveModule(ports: { live: LiveBus } & Pick<LiveUpdatesDeps, 'conversationExists'>): {
  liveUpdates: LiveUpdatesService;
} {
  return { liveUpdates: createLiveUpdatesService(ports) };
}
