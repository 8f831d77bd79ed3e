import type { FastifyInstance } from 'fastify';
import type { TelephonyDeps } from './services.js';
import { registerAdminRoutes } from './admin.routes.js';
import { registerCrmAppointmentRoutes } from './crm-appointments.routes.js';
import { registerCrmConsentRoutes } from './crm-consent.routes.js';
import { registerCrmConversationRoutes } from './crm-conversations.routes.js';
import { registerCrmCustomerRoutes } from './crm-customers.routes.js';
import { registerTelephonyHealthRoutes } from './health.routes.js';
import { registerTelephonyMetricsRoutes } from './metrics.routes.js';
import { registerOwnerRoutes } from './owner.routes.js';
import { registerReminderRoutes } from './reminders.routes.js';
import { registerTwilioOwnerVoiceRoutes } from './twilio-owner-voice.routes.js';
import { registerTwilioSmsRoutes } from './twilio-sms.routes.js';
import { registerTwilioVoiceRoutes } from './twilio-voice.routes.js';
import { registerTelephonyCallRoutes } from './telephony-calls.routes.js';
import { registerVoiceRoutes } from './voice.routes.js';
import { registerWidgetAssetRoutes } from './widget-assets.routes.js';
import { registerWidgetRoutes } from './widget.routes.js';

/** Spec C, telephony and CRM, under `/`, `/v1`, `/telephony` and `/twilio`. No rate-limit table: not limited. */
export function registerTelephonySurface(app: FastifyInstance, deps: TelephonyDeps): void {
  registerTelephonyHealthRoutes(app);
  registerTelephonyMetricsRoutes(app, deps);
  registerTwilioSmsRoutes(app, deps);
  registerTwilioVoiceRoutes(app, deps);
  registerTwilioOwnerVoiceRoutes(app, deps);
  registerVoiceRoutes(app, deps);
  registerTelephonyCallRoutes(app, deps);
  registerWidgetRoutes(app, deps);
  registerWidgetAssetRoutes(app);
  registerCrmCustomerRoutes(app, deps);
  registerCrmConsentRoutes(app, deps);
  registerCrmAppointmentRoutes(app, deps);
  registerCrmConversationRoutes(app, deps);
  registerReminderRoutes(app, deps);
  registerAdminRoutes(app, deps);
  registerOwnerRoutes(app, deps);
}
