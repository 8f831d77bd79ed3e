import type { z } from 'zod';
import type { Appointment } from '../../domain/appointments/index.js';
import type { Contact } from '../../domain/identity/index.js';
import type { appointmentView, customerView } from './crm.schemas.js';

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);
const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];

/** A contact as spec C's customer; address and tags live in the contact's attributes. */
export function customerViewOf(tenantId: string, c: Contact): z.infer<typeof customerView> {
  return {
    id: c.id,
    business_id: tenantId,
    name: c.name,
    phone: c.phone,
    email: c.email,
    address: text(c.attributes.address),
    tags: strings(c.attributes.tags),
    created_at: c.createdAt,
    updated_at: c.updatedAt,
  };
}

export function appointmentViewOf(tenantId: string, a: Appointment): z.infer<typeof appointmentView> {
  return {
    id: a.id,
    business_id: tenantId,
    customer_id: a.contactId,
    conversation_id: a.conversationId,
    source: a.source,
    status: a.status,
    start_time: a.startTime,
    end_time: a.endTime,
    preferred_time: a.preferredTime,
    service_type: a.serviceType ?? text(a.fields.service),
    description: a.description,
    is_emergency: a.isEmergency,
    estimated_value: a.estimatedValue,
    technician: a.technician,
    tags: a.tags,
    created_at: a.createdAt,
    updated_at: a.updatedAt,
  };
}
