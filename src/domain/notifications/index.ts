import type { Queue } from '../../queue/queue.js';
import { registerOwnerAlertJobs } from './owner-alerts.js';
import {
  createNotificationsService,
  type NotificationsDeps,
  type NotificationsService,
} from './notifications.service.js';

export type { HandoffNotice, OwnerEvent } from './notices.js';
export type { NoticeOutcome, NotificationsService } from './notifications.service.js';
export { createOwnerAlerts, type OwnerAlerts } from './owner-alerts.js';
export {
  DEFAULT_ANSWER_WITHIN_MINUTES,
  DEFAULT_WAIT_LIMIT_MINUTES,
  e164Phone,
  notificationsConfigSection,
  type NotificationsConfig,
} from './notifications.config.js';

/** Telling the tenant's people: handoffs to the people on duty, and what the owner must know. */
export function createNotificationsModule(ports: NotificationsDeps): {
  notifications: NotificationsService;
  /** Runs the owner notices raised through `createOwnerAlerts`. */
  registerJobs(queue: Queue): void;
} {
  const notifications = createNotificationsService(ports);
  return { notifications, registerJobs: (queue) => registerOwnerAlertJobs(queue, notifications) };
}
