import type { Lead } from './leads.records.js';
import type { AppointmentRow, LeadTrail } from './lead-timeline.repo.js';

/** One thing that happened to a lead or its person, as a stored row shows it. */
export type LeadTimelineEvent = { at: string } & (
  | { kind: 'created'; source: string }
  | { kind: 'scored'; score: number; tier: string; previousScore: number | null; previousTier: string | null }
  | { kind: 'request'; requestId: string; sourceType: string; status: string }
  | { kind: 'conversation_started'; conversationId: string; channel: string }
  | { kind: 'handed_off'; conversationId: string; department: string | null }
  | { kind: 'conversation_closed'; conversationId: string; resolution: string | null }
  | { kind: 'appointment_requested'; appointmentId: string }
  | { kind: 'appointment_booked'; appointmentId: string; start: string | null }
  | { kind: 'appointment_cancelled'; appointmentId: string; reason: string | null }
  | { kind: 'won' }
  | { kind: 'status_changed'; from: string | null; to: string | null }
  | { kind: 'crm_sync'; crm: string; status: 'synced' | 'failed'; recordId: string | null; error: string | null }
);

/** Where the lead stands with the tenant's CRM. */
export interface LeadCrmState {
  /** The CRM the tenant configured; null: none. */
  provider: string | null;
  /** The last sync's outcome; `pending` while a request of the lead is still on its way to the CRM step; null: never synced. */
  status: 'synced' | 'failed' | 'pending' | null;
  at: string | null;
  recordId: string | null;
  error: string | null;
}

const BOOKED = new Set(['scheduled', 'confirmed', 'completed']);

/** A booked time carries no booking instant: an appointment is booked at its row's last change, or at creation when the CRM API booked it. */
function appointmentEvents(a: AppointmentRow): LeadTimelineEvent[] {
  if (a.source === 'crm' && a.status !== 'cancelled')
    return [{ at: a.requestedAt, kind: 'appointment_booked', appointmentId: a.id, start: a.startTime }];
  const events: LeadTimelineEvent[] = [{ at: a.requestedAt, kind: 'appointment_requested', appointmentId: a.id }];
  if (BOOKED.has(a.status))
    events.push({ at: a.changedAt, kind: 'appointment_booked', appointmentId: a.id, start: a.startTime });
  if (a.status === 'cancelled')
    events.push({ at: a.changedAt, kind: 'appointment_cancelled', appointmentId: a.id, reason: a.cancelReason });
  return events;
}

function scoreEvents(trail: LeadTrail): LeadTimelineEvent[] {
  const scores = [...trail.scores].sort((a, b) => a.at.localeCompare(b.at));
  return scores.map((s, i) => ({
    at: s.at,
    kind: 'scored',
    score: s.score,
    tier: s.tier,
    previousScore: scores[i - 1]?.score ?? null,
    previousTier: scores[i - 1]?.tier ?? null,
  }));
}

/** The lead's history, oldest first; events of one instant keep the order a lead lives them (requests before the lead they make). */
export function leadTimeline(lead: Lead, trail: LeadTrail): LeadTimelineEvent[] {
  const events: LeadTimelineEvent[] = [
    ...trail.requests.map((r): LeadTimelineEvent => ({
      at: r.at,
      kind: 'request',
      requestId: r.id,
      sourceType: r.sourceType,
      status: r.status,
    })),
    { at: lead.createdAt, kind: 'created', source: lead.source },
    ...scoreEvents(trail),
  ];
  for (const c of trail.conversations) {
    events.push({ at: c.startedAt, kind: 'conversation_started', conversationId: c.id, channel: c.channel });
    for (const h of trail.handoffs.filter((x) => x.conversationId === c.id))
      events.push({ at: h.at, kind: 'handed_off', conversationId: c.id, department: h.department });
    if (c.closedAt)
      events.push({ at: c.closedAt, kind: 'conversation_closed', conversationId: c.id, resolution: c.resolution });
  }
  events.push(...trail.appointments.flatMap(appointmentEvents));
  for (const s of trail.statuses) events.push({ at: s.at, kind: 'status_changed', from: s.from, to: s.to });
  // A win recorded as a status edit is told once, by that edit.
  if (lead.wonAt && !trail.statuses.some((s) => s.to === 'won')) events.push({ at: lead.wonAt, kind: 'won' });
  for (const s of trail.crmSyncs)
    events.push({
      at: s.at,
      kind: 'crm_sync',
      crm: s.crm,
      status: s.status === 'success' ? 'synced' : 'failed',
      recordId: s.recordId,
      error: s.error,
    });
  // Array.prototype.sort is stable, so ties keep the order above.
  return events.sort((a, b) => a.at.localeCompare(b.at));
}

/** The configured CRM and the latest sync; a request still running may yet sync, so it reads as pending. */
export function leadCrmState(provider: string | undefined, trail: LeadTrail): LeadCrmState {
  const configured = provider && provider !== 'none' ? provider : null;
  const last = [...trail.crmSyncs].sort((a, b) => a.at.localeCompare(b.at)).at(-1);
  const running = trail.requests.some(
    (r) => (r.status === 'pending' || r.status === 'processing') && (!last || r.at >= last.at),
  );
  if (configured && running) return { provider: configured, status: 'pending', at: null, recordId: null, error: null };
  if (!last) return { provider: configured, status: null, at: null, recordId: null, error: null };
  return {
    provider: configured,
    status: last.status === 'success' ? 'synced' : 'failed',
    at: last.at,
    recordId: last.recordId,
    error: last.error,
  };
}
