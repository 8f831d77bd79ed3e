import type { FastifyInstance } from 'fastify';
import type { TelephonyDeps } from './services.js';
import { registerAdminRoutes } from './admin.routes.js';
import { registerCrmAppointmentRoutes } from './crm-appointments.routes.js';
import { registerCrmConversationRoutes } from './crm-conversations.routes.js';
import { registerCrmCustomerRoutes } from './crm-customers.routes.js';
import { registerTelephonyHealthRoutes } from './health.routes.js';
import { registerTelephonyMetricsRoutes } from './metrics.routes.js';

/** Spec C, telephony and CRM, under `/`, `/v1`, `/telephony` and `/twilio`. No rate-limit table: not limited. */
export function registerTelephonySurface(app: FastifyInstance, deps: TelephonyDeps): void {
  registerTelephonyHealthRoutes(app);
  registerTelephonyMetricsRoutes(app, deps);
  registerCrmCustomerRoutes(app, deps);
  registerCrmAppointmentRoutes(app, deps);
  registerCrmConversationRoutes(app, deps);
  registerAdminRoutes(app, deps);
}
