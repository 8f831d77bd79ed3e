import { AppError, notFound } from '../errors.js';
import { topicOf, type LiveBus, type LiveEvent, type LiveSubscription, type LiveTopic } from './live-bus.js';

/** What agents' screens subscribe to: a tenant's conversations (and leads) as they change, from any process. */
export interface LiveUpdatesService {
  /** Every event of the tenant in `topics`: its conversations only, unless asked for its leads too. */
  watchTenant(
    tenantId: string,
    listener: (event: LiveEvent) => void,
    topics?: readonly LiveTopic[],
  ): Promise<LiveSubscription>;
  /** One conversation of the tenant; NOT_FOUND when the tenant has no such conversation. */
  watchConversation(
    tenantId: string,
    conversationId: string,
    listener: (event: LiveEvent) => void,
  ): Promise<LiveSubscription>;
}

export interface LiveUpdatesDeps {
  live: LiveBus;
  /** Whether the tenant has the conversation (the conversation core answers). */
  conversationExists: (tenantId: string, conversationId: string) => Promise<boolean>;
}

export function createLiveUpdatesService(deps: LiveUpdatesDeps): LiveUpdatesService {
  const subscribe = async (
    tenantId: string,
    conversationId: string | undefined,
    listener: (event: LiveEvent) => void,
  ): Promise<LiveSubscription> => {
    try {
      return await deps.live.subscribe(tenantId, conversationId, listener);
    } catch (err) {
      // The broker is down or unreachable: the caller may retry, so this is a 503, not a 500.
      throw new AppError('UNAVAILABLE', 'Live updates are unavailable right now; retry shortly', { cause: err });
    }
  };
  return {
    watchTenant: (tenantId, listener, topics = ['conversations']) =>
      subscribe(tenantId, undefined, (event) => {
        if (topics.includes(topicOf(event))) listener(event);
      }),
    async watchConversation(tenantId, conversationId, listener) {
      if (!(await deps.conversationExists(tenantId, conversationId))) throw notFound('conversation', conversationId);
      return subscribe(tenantId, conversationId, listener);
    },
  };
}
