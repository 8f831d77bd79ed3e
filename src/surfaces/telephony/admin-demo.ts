import type { Actor } from '../../domain/actor.js';
import type { CreatedTenant } from '../../domain/tenants/index.js';
import type { TelephonyDeps } from './services.js';

/** The demo's customers and what each booked; the numbers are in the range reserved for fiction (555-01xx). */
const DEMO_CUSTOMERS = [
  { name: 'Ana Lopez', phone: '+13035550101', service: 'water heater repair', emergency: true, value: 650 },
  { name: 'Ben Okafor', phone: '+13035550102', service: 'drain cleaning', emergency: false, value: 180 },
  { name: 'Chloe Martin', phone: '+13035550103', service: 'water heater repair', emergency: false, value: 1200 },
] as const;

/**
 * A demo business with customers and appointments: the CRM's own services seed it, so the demo
 * holds exactly what a business entering the same data through the API would.
 */
export async function seedDemoBusiness(
  services: Pick<TelephonyDeps['services'], 'tenants' | 'contacts' | 'appointments'>,
  actor: Actor,
  name: string,
  now: Date,
): Promise<{ created: CreatedTenant; counts: { customers: number; appointments: number } }> {
  const created = await services.tenants.create(actor, { name, plan: 'free' });
  const tenantId = created.tenant.id;
  const day = 86_400_000;
  let n = 0;
  for (const c of DEMO_CUSTOMERS) {
    n += 1;
    const contact = await services.contacts.register(tenantId, { name: c.name, phone: c.phone });
    await services.appointments.book(tenantId, {
      contactId: contact.id,
      startTime: new Date(now.getTime() + n * day).toISOString(),
      serviceType: c.service,
      isEmergency: c.emergency,
      estimatedValue: c.value,
    });
  }
  return { created, counts: { customers: DEMO_CUSTOMERS.length, appointments: DEMO_CUSTOMERS.length } };
}
