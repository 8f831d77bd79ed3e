/**
 * The named business counters spec C's `GET /metrics` reports. They live here, in one list,
 * so that a feature (SMS, voice, reminders, bookings) increments them through this port
 * without knowing about HTTP or Prometheus; the metrics registry reports every one, as 0
 * until something counts it.
 */
export const COUNTER_NAMES = [
  'appointments_scheduled',
  'sms_sent_total',
  'sms_sent_owner',
  'sms_sent_customer',
  'lead_followups_sent',
  'retention_messages_sent',
  'twilio_voice_requests',
  'twilio_voice_errors',
  'twilio_sms_requests',
  'twilio_sms_errors',
  'voice_session_requests',
  'voice_session_errors',
] as const;
export type CounterName = (typeof COUNTER_NAMES)[number];

/** Spec C's per-tenant maps (`sms_by_business[business_id].*` …). */
export const BUSINESS_MAPS = [
  'sms_by_business',
  'twilio_by_business',
  'voice_sessions_by_business',
  'callbacks_by_business',
  'retention_by_business',
] as const;
export type BusinessMap = (typeof BUSINESS_MAPS)[number];

/** The port features count through; the HTTP layer's metrics registry implements it. */
export interface Counters {
  /** Adds `by` (default 1) to a named counter. */
  increment(name: CounterName, by?: number): void;
  /** Adds `by` (default 1) to `field` of one tenant's entry in a per-business map. */
  incrementForBusiness(map: BusinessMap, businessId: string, field: string, by?: number): void;
  /** Records how long one inbound event took through the pipeline, for spec A's processing-time figures. */
  observeProcessing(durationMs: number, ok: boolean): void;
}
