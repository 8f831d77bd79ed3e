import type { DomainEvent, EventSink } from '../events.js';
import type { WebhooksService } from './webhooks.service.js';
import type { WebhookEvent } from './webhooks.schema.js';

/**
 * Shapes a domain event as the webhook it goes out as: its name and its `data`. Supplied at
 * composition by the surface whose document defines the payloads, so the domain stays neutral.
 */
export type WebhookFormat<E extends DomainEvent> = (event: E) => {
  event: WebhookEvent;
  data: Record<string, unknown>;
};

/** Domain events as the tenant's signed webhooks, and as one-off callbacks to a URL of the event's own. */
export function createWebhookEvents<E extends DomainEvent>(
  webhooks: Pick<WebhooksService, 'emit' | 'emitIn' | 'sendCallback'>,
  format: WebhookFormat<E>,
) {
  const events: EventSink<E> = {
    async emit(tenantId, event) {
      const { event: name, data } = format(event);
      await webhooks.emit(tenantId, name, data);
    },
    async emitIn(tx, tenantId, event) {
      const { event: name, data } = format(event);
      const emitted = await webhooks.emitIn(tx, tenantId, name, data);
      return () => emitted.dispatch();
    },
  };
  const callbacks = {
    /** Queues `event` to `url`, signed with the tenant's callback secret. */
    send(tenantId: string, url: string, event: E): Promise<void> {
      const { event: name, data } = format(event);
      return webhooks.sendCallback(tenantId, url, name, data);
    },
  };
  return { events, callbacks };
}
