import type { Clock } from '../../lib/clock.js';
import type { Queue } from '../../queue/queue.js';
import type { Db } from '../../store/db.js';
import type { ComplianceService } from '../compliance/index.js';
import type { Counters } from '../metrics/index.js';
import type { TenantsService } from '../tenants/index.js';
import type { MessagingSenders } from './delivery-plan.js';
import { createMessagingDelivery, type ConversationMessages } from './delivery.service.js';
import { createInlineWindows } from './inline-windows.js';
import { registerMessagingJobs } from './messaging.jobs.js';
import { createDeliveriesRepo } from './messaging.repo.js';

/**
 * Messaging: outbound platform messages. Durable sends through each tenant's credentials, the
 * outbox when it has none, WhatsApp's 24-hour window, platforms' delivery reports, and the inline
 * windows through which a webhook request may answer with its own turn's replies.
 */

export type { DeliveryView, MessagingDelivery } from './delivery.service.js';
export { WHATSAPP_WINDOW_MS, type MessagingSenders } from './delivery-plan.js';
export type { InlineAnswer, InlineWindow } from './inline-windows.js';

export interface MessagingPorts {
  db: Db;
  clock: Clock;
  queue: Queue;
  tenants: Pick<TenantsService, 'getConfigWithSecrets'>;
  compliance: Pick<ComplianceService, 'mayContact'>;
  senders: MessagingSenders;
  /** The conversation core's door for what a delivery's outcome changes on its message and reads of its conversation. */
  messages: ConversationMessages;
  /** Spec C's SMS counters (`sms_sent_*`, `sms_by_business`), counted when an SMS goes out. */
  counters: Pick<Counters, 'increment' | 'incrementForBusiness'>;
}

export function createMessagingModule(ports: MessagingPorts) {
  const deliveries = createDeliveriesRepo(ports.db);
  const windows = createInlineWindows({ clock: ports.clock, deliveries, messages: ports.messages });
  const channelDelivery = createMessagingDelivery({ ...ports, deliveries, windows });
  return {
    channelDelivery,
    registerJobs(queue: Queue): void {
      registerMessagingJobs(queue, channelDelivery);
    },
  };
}
