/** What the customer asked for, on a request and on the appointment it became. */
interface AskedFor {
  id: string;
  contactId: string | null;
  leadId: string | null;
  preferredTime: string | null;
  /** Start of the window the customer's words named, ISO 8601 with the tenant's offset; null when none was understood. */
  requestedStart: string | null;
  /** End of that window for a part of day or a whole day; null for an exact time. */
  requestedEnd: string | null;
  /** What the conversation collected (name, phone, service, address, …). */
  fields: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
}

/** A customer's request for an appointment, as a conversation collected it. */
export interface AppointmentRequest extends AskedFor {
  conversationId: string;
  /** `requested`, `confirmed`, `cancelled`, `reschedule_requested`. */
  status: string;
}

export const APPOINTMENT_STATUSES = [
  'requested',
  'scheduled',
  'confirmed',
  'reschedule_requested',
  'completed',
  'cancelled',
] as const;
export type AppointmentStatus = (typeof APPOINTMENT_STATUSES)[number];

/** Where an appointment came from: a conversation's request, or booked through the CRM. */
export type AppointmentSource = 'chat' | 'crm';

/** What a dispatcher books and edits on an appointment. */
export interface AppointmentDetails {
  status: string;
  /** ISO instants. */
  startTime: string | null;
  endTime: string | null;
  serviceType: string | null;
  description: string | null;
  isEmergency: boolean;
  estimatedValue: number | null;
  technician: string | null;
  tags: string[];
  /** Why it was cancelled, when whoever cancelled it said. */
  cancelReason: string | null;
}

/** Every appointment of a tenant, whether a conversation requested it or the CRM booked it. */
export interface Appointment extends AppointmentDetails, AskedFor {
  /** Null when booked through the CRM. */
  conversationId: string | null;
  source: AppointmentSource;
}

/** A booking through the CRM: the customer is known, the rest is optional. */
export type AppointmentBooking = Partial<AppointmentDetails> & { contactId: string };

export type AppointmentChange = Partial<AppointmentDetails>;

export interface AppointmentFilter {
  status?: string;
  contactId?: string;
  isEmergency?: boolean;
  technician?: string;
  /** Inclusive ISO bounds on the start time. */
  startFrom?: string;
  startTo?: string;
}

/** Which appointments a calendar shows: local dates in the tenant's time zone, both inclusive. */
export interface AgendaQuery {
  /** `YYYY-MM-DD`. */
  from: string;
  to: string;
  status?: AppointmentStatus;
}

/** Who an appointment is for, as the calendar names them. */
export interface AgendaContact {
  name: string | null;
  phone: string | null;
}

/** An appointment placed on the calendar: at its booked start, else at the start of the time the customer asked for. */
export interface AgendaEntry {
  appointment: Appointment;
  contact: AgendaContact;
  /** The ISO instant it stands at; null for a request no time could be read for. */
  at: string | null;
  /** `booked` when a start time is set, `requested` when only the customer's words place it. */
  kind: 'booked' | 'requested';
}

export interface Agenda {
  /** The IANA zone the dates were read in. */
  timezone: string;
  entries: AgendaEntry[];
  /** Open requests no time could be read for (newest first), which no day of the calendar can hold. */
  untimed: AgendaEntry[];
}

/** A tenant's appointments in figures: how many, how many emergencies, and how many per service. */
export interface AppointmentFigures {
  total: number;
  emergencies: number;
  /** Appointments per service type; those without one count under `unspecified`. */
  byService: Record<string, number>;
}
