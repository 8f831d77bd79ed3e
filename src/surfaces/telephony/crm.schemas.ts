import { z } from 'zod';
import { APPOINTMENT_STATUSES } from '../../domain/appointments/index.js';
import { CHANNELS, CONVERSATION_STATUSES } from '../../domain/conversations/index.js';

/** Who may use `/v1/crm/*`: the tenant's API key or its owner token (both together must name one tenant). */
export const CRM_AUTH = { allow: ['tenant-key', 'owner'] } as const;

const dateTime = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time such as 2025-06-01T09:00:00Z' });

/** An ISO instant from the wire, in the store's UTC form. */
export const toInstant = (value: string | undefined): string | undefined =>
  value === undefined ? undefined : new Date(value).toISOString();

export const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});

export const customerParams = z.object({ customer_id: z.string().min(1).max(64) });

const tags = z.array(z.string().trim().min(1).max(60)).max(50);

export const createCustomerBody = z
  .object({
    name: z.string().trim().min(1).max(200),
    phone: z.string().trim().min(3).max(40),
    email: z.string().trim().max(254).optional(),
    address: z.string().trim().max(500).optional(),
    tags: tags.optional(),
  })
  .meta({
    examples: [{ name: 'Ana Lopez', phone: '(415) 555-0100', email: 'ana@example.com', address: '12 Oak St' }],
  });

export const searchCustomersQuery = z.object({
  q: z.string().trim().min(1).max(200),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

export const customerView = z.object({
  id: z.string(),
  business_id: z.string(),
  name: z.string().nullable(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  address: z.string().nullable(),
  tags: z.array(z.string()),
  created_at: z.string(),
  updated_at: z.string(),
});

export const appointmentParams = z.object({ appointment_id: z.string().min(1).max(64) });

const appointmentFields = {
  status: z.enum(APPOINTMENT_STATUSES),
  start_time: dateTime.nullable(),
  end_time: dateTime.nullable(),
  service_type: z.string().trim().max(120).nullable(),
  description: z.string().trim().max(4000).nullable(),
  is_emergency: z.boolean(),
  estimated_value: z.number().min(0).max(1e9).nullable(),
  technician: z.string().trim().max(120).nullable(),
  tags,
};

export const createAppointmentBody = z
  .object({ customer_id: z.string().min(1).max(64), ...appointmentFields })
  .partial()
  .required({ customer_id: true })
  .meta({
    examples: [
      {
        customer_id: 'contact_01jd0000000000000000000000',
        start_time: '2025-06-03T15:00:00Z',
        service_type: 'water heater repair',
        is_emergency: true,
        estimated_value: 450,
        technician: 'Sam',
        tags: ['warranty'],
      },
    ],
  });

export const updateAppointmentBody = z
  .object(appointmentFields)
  .partial()
  .refine((body) => Object.keys(body).length > 0, { error: 'name at least one field to change' })
  .meta({ examples: [{ status: 'confirmed', technician: 'Sam', start_time: '2025-06-03T16:00:00Z' }] });

const boolText = z.enum(['true', 'false']).transform((v) => v === 'true');

export const listAppointmentsQuery = pageQuery.extend({
  status: z.enum(APPOINTMENT_STATUSES).optional(),
  customer_id: z.string().min(1).max(64).optional(),
  is_emergency: boolText.optional(),
  technician: z.string().trim().min(1).max(120).optional(),
  start_from: dateTime.optional(),
  start_to: dateTime.optional(),
});

export const appointmentView = z.object({
  id: z.string(),
  business_id: z.string(),
  customer_id: z.string().nullable(),
  conversation_id: z.string().nullable(),
  source: z.enum(['chat', 'crm']),
  status: z.string(),
  start_time: z.string().nullable(),
  end_time: z.string().nullable(),
  preferred_time: z.string().nullable(),
  service_type: z.string().nullable(),
  description: z.string().nullable(),
  is_emergency: z.boolean(),
  estimated_value: z.number().nullable(),
  technician: z.string().nullable(),
  tags: z.array(z.string()),
  created_at: z.string(),
  updated_at: z.string(),
});

export const conversationParams = z.object({ conversation_id: z.string().min(1).max(64) });

export const listConversationsQuery = pageQuery.extend({
  channel: z.enum(CHANNELS).optional(),
  status: z.enum(CONVERSATION_STATUSES).optional(),
  customer_id: z.string().min(1).max(64).optional(),
});

const qaView = z.object({
  flags: z.array(z.string()),
  tags: z.array(z.string()),
  outcome: z.string().nullable(),
  notes: z.string().nullable(),
  reviewed_at: z.string().nullable(),
});

export const conversationView = z.object({
  id: z.string(),
  business_id: z.string(),
  customer_id: z.string().nullable(),
  channel: z.string(),
  status: z.string(),
  intent: z.string().nullable(),
  sentiment: z.string().nullable(),
  summary: z.string().nullable(),
  lead_id: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
  last_activity_at: z.string(),
  qa: qaView,
});

export const conversationDetailView = conversationView.extend({
  messages: z.array(
    z.object({
      id: z.string(),
      direction: z.enum(['inbound', 'outbound']),
      sender: z.string(),
      text: z.string(),
      created_at: z.string(),
    }),
  ),
  total_messages: z.number(),
});

const label = z.string().trim().min(1).max(60);

export const qaBody = z
  .object({
    flags: z.array(label).max(50),
    tags: z.array(label).max(50),
    outcome: z.string().trim().min(1).max(120).nullable(),
    notes: z.string().trim().max(4000).nullable(),
  })
  .partial()
  .refine((body) => Object.keys(body).length > 0, { error: 'name at least one of flags, tags, outcome, notes' })
  .meta({
    examples: [{ flags: ['missed_booking'], tags: ['pricing'], outcome: 'lost', notes: 'Asked twice for a quote.' }],
  });

export const timelineView = z.object({
  customer_id: z.string(),
  items: z.array(
    z.discriminatedUnion('type', [
      z.object({ type: z.literal('appointment'), timestamp: z.string(), appointment: appointmentView }),
      z.object({ type: z.literal('conversation'), timestamp: z.string(), conversation: conversationView }),
    ]),
  ),
});

export const consentHistoryView = z.object({
  customer_id: z.string(),
  phone: z.string().nullable(),
  opted_out: z.boolean().describe('whether the latest SMS consent change is an opt-out'),
  items: z.array(
    z.object({
      id: z.string(),
      change: z.enum(['opt_out', 'opt_in']),
      channel: z.string(),
      source: z.enum(['keyword', 'phrase', 'operator']),
      evidence: z.string().nullable().describe('what the customer sent, when a message made the change'),
      created_at: z.string(),
    }),
  ),
});
