import {
  createNotificationsService,
  type NotificationsDeps,
  type NotificationsService,
} from './notifications.service.js';

export type { HandoffNotice, OwnerEvent } from './notices.js';
export type { NoticeOutcome, NotificationsService } from './notifications.service.js';
export { notificationsConfigSection, type NotificationsConfig } from './notifications.config.js';

/** Telling the tenant's people: handoffs to the people on duty, and what the owner must know. */
export function createNotificationsModule(ports: NotificationsDeps): { notifications: NotificationsService } {
  return { notifications: createNotificationsService(ports) };
}
