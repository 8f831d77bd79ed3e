import type { LeadCrmState, LeadTimelineEvent } from '../../domain/leads/index.js';

const CHANNEL_NAMES: Record<string, string> = { web: 'web chat', sms: 'SMS', voice: 'phone', whatsapp: 'WhatsApp' };
const SOURCE_NAMES: Record<string, string> = { callrail: 'a CallRail call', webform: 'a web form', api: 'the API' };

const channelName = (c: string) => CHANNEL_NAMES[c] ?? c;

/** The short sentence the lead page shows for one event. */
function eventText(e: LeadTimelineEvent): string {
  switch (e.kind) {
    case 'created':
      return `Lead created from ${e.source}`;
    case 'scored':
      return e.previousTier === null
        ? `Scored ${e.score} (${e.tier})`
        : `Scored again: ${e.previousScore ?? '—'} (${e.previousTier}) → ${e.score} (${e.tier})`;
    case 'request':
      return `Request from ${SOURCE_NAMES[e.sourceType] ?? e.sourceType} (${e.status})`;
    case 'conversation_started':
      return `Conversation started on ${channelName(e.channel)}`;
    case 'handed_off':
      return e.department ? `Handed off to a person (${e.department})` : 'Handed off to a person';
    case 'conversation_closed':
      return e.resolution ? `Conversation closed (${e.resolution})` : 'Conversation closed';
    case 'appointment_requested':
      return 'Appointment requested';
    case 'appointment_booked':
      return 'Appointment booked';
    case 'appointment_cancelled':
      return e.reason ? `Appointment cancelled: ${e.reason}` : 'Appointment cancelled';
    case 'won':
      return 'Marked won';
    case 'status_changed':
      return `Status changed from ${e.from ?? '—'} to ${e.to ?? '—'}`;
    case 'crm_sync':
      return e.status === 'synced' ? `Synced to ${e.crm}` : `Sync to ${e.crm} failed: ${e.error ?? 'no reason given'}`;
  }
}

/** The event's own fields, snake-cased; `at`, `kind` and `text` are every event's. */
function eventFields(e: LeadTimelineEvent): Record<string, string | number | null> {
  switch (e.kind) {
    case 'created':
      return { source: e.source };
    case 'scored':
      return { score: e.score, tier: e.tier, previous_score: e.previousScore, previous_tier: e.previousTier };
    case 'request':
      return { request_id: e.requestId, source_type: e.sourceType, status: e.status };
    case 'conversation_started':
      return { conversation_id: e.conversationId, channel: e.channel };
    case 'handed_off':
      return { conversation_id: e.conversationId, department: e.department };
    case 'conversation_closed':
      return { conversation_id: e.conversationId, resolution: e.resolution };
    case 'appointment_requested':
      return { appointment_id: e.appointmentId };
    case 'appointment_booked':
      return { appointment_id: e.appointmentId, start: e.start };
    case 'appointment_cancelled':
      return { appointment_id: e.appointmentId, reason: e.reason };
    case 'won':
      return {};
    case 'status_changed':
      return { from: e.from, to: e.to };
    case 'crm_sync':
      return { crm: e.crm, status: e.status, crm_record_id: e.recordId, error: e.error };
  }
}

/** A lead's timeline and CRM state, for `GET /app/api/leads/{id}/timeline`. */
export function leadTimelineView(leadId: string, timezone: string, events: LeadTimelineEvent[], crm: LeadCrmState) {
  return {
    lead_id: leadId,
    timezone,
    events: events.map((e) => ({ at: e.at, kind: e.kind, text: eventText(e), ...eventFields(e) })),
    crm: {
      provider: crm.provider,
      status: crm.status,
      at: crm.at,
      crm_record_id: crm.recordId,
      error: crm.error,
    },
  };
}
