import type { z } from 'zod';
import type { TelephonyDeps } from './services.js';
import { scheduleViewOf, todaySummaryViewOf, type scheduleView, type todaySummaryView } from './owner.views.js';

/** The owner's two day views, shared by the JSON routes, their audio twins and `/twilio/owner-voice`. */

type Services = TelephonyDeps['services'];

const zoneOf = async (services: Services, tenantId: string) => (await services.tenants.get(tenantId)).timezone;

/** Tomorrow's appointments in the business's time zone. */
export async function tomorrowOf(services: Services, tenantId: string): Promise<z.infer<typeof scheduleView>> {
  const zone = await zoneOf(services, tenantId);
  return scheduleViewOf(tenantId, zone, await services.ownerAnalytics.day(tenantId, zone, 1));
}

/** Today's appointments and new conversations in the business's time zone. */
export async function todayOf(services: Services, tenantId: string): Promise<z.infer<typeof todaySummaryView>> {
  const zone = await zoneOf(services, tenantId);
  return todaySummaryViewOf(tenantId, zone, await services.ownerAnalytics.day(tenantId, zone, 0));
}
