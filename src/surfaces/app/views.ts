import type { RangeFigures, Spread } from '../../domain/analytics/index.js';
import type { ConversationDetail, ListedConversation } from '../../domain/conversations/index.js';
import type { Lead } from '../../domain/leads/index.js';
import type { LiveEvent } from '../../domain/live/index.js';
import type { SignedIn } from '../../domain/people/index.js';
import type { Tenant } from '../../domain/tenants/index.js';
import { newId } from '../../lib/ids.js';

/** Who is signed in, for `GET /app/api/me` and every sign-in answer. */
export function meView(signedIn: SignedIn, tenant: Tenant | null) {
  const user = signedIn.user;
  return {
    kind: signedIn.kind,
    tenant: tenant ? { id: tenant.id, name: tenant.name } : null,
    user: user
      ? { id: user.id, email: user.email, first_name: user.firstName, last_name: user.lastName, phone: user.phone }
      : null,
    role: signedIn.role,
    permissions: signedIn.permissions,
    expires_at: signedIn.expiresAt,
  };
}

/** A conversation in the app's list. */
export function conversationItemView(listed: ListedConversation) {
  const c = listed.conversation;
  return {
    id: c.id,
    channel: c.channel,
    status: c.status,
    bot_paused: c.botPaused,
    assigned_agent_id: c.assignedAgentId,
    department: c.department,
    priority: c.priority,
    lead_id: c.leadId,
    contact_id: c.contactId,
    summary: c.summary,
    message_count: listed.messageCount,
    started_at: c.createdAt,
    last_activity_at: c.lastActivityAt,
  };
}

function leadSummaryView(lead: Lead | null) {
  if (!lead) return null;
  return {
    id: lead.id,
    name: lead.name,
    email: lead.email,
    phone: lead.phone,
    company: lead.company,
    source: lead.source,
    status: lead.status,
    score: lead.score,
    tier: lead.tier,
    intent: lead.intent,
    reasoning: lead.analysis?.reasoning ?? null,
    summary: lead.analysis?.summary ?? null,
    recommended_action: lead.recommendedAction,
  };
}

/** One conversation for a person working it: the transcript, who the contact is, the lead's score and why, and the handoff briefing. */
export function conversationView(detail: ConversationDetail, lead: Lead | null) {
  const c = detail.conversation;
  const handoff = detail.transfers.at(-1);
  return {
    ...conversationItemView({ conversation: c, messageCount: detail.totalMessages, averageRating: null }),
    contact: { id: c.contactId, ...(lead ? { name: lead.name, email: lead.email, phone: lead.phone } : {}) },
    lead: leadSummaryView(lead),
    handoff: handoff
      ? {
          id: handoff.id,
          status: handoff.status,
          reason: handoff.reason,
          note: handoff.note,
          briefing: handoff.briefing,
          assigned_agent_id: handoff.agentUserId,
          created_at: handoff.createdAt,
          accepted_at: handoff.acceptedAt,
        }
      : null,
    transcript: detail.messages.map((m) => ({
      id: m.id,
      direction: m.direction,
      sender: m.sender,
      text: m.text,
      status: m.status,
      created_at: m.createdAt,
    })),
  };
}

export function leadItemView(lead: Lead) {
  return { ...leadSummaryView(lead), created_at: lead.createdAt, qualified_at: lead.qualifiedAt };
}

/** The four parts of the score, each with what the engine read for it; `points` is the part's strength out of 100. */
const SCORE_PARTS = [
  ['company_fit', 'Company fit'],
  ['intent_signal', 'Intent'],
  ['budget_indicator', 'Budget'],
  ['urgency', 'Urgency'],
] as const;

function signalDetail(lead: Lead, part: (typeof SCORE_PARTS)[number][0]): string | null {
  const a = lead.analysis;
  if (!a) return null;
  const budget = a.entities.budget_range;
  switch (part) {
    case 'company_fit':
      return lead.company ?? (a.entities.team_size !== null ? `${a.entities.team_size} people` : null);
    case 'intent_signal':
      return a.intent;
    case 'budget_indicator':
      return budget ? `${budget.min}–${budget.max}` : a.entities.money.length > 0 ? a.entities.money.join(', ') : null;
    case 'urgency':
      return a.entities.timeline;
  }
}

/** One lead with the signals behind its score and the latest conversation of its person, for the lead page. */
export function leadDetailView(lead: Lead, conversationId: string | null) {
  const breakdown = lead.analysis?.scoring_breakdown;
  return {
    ...leadItemView(lead),
    signals: breakdown
      ? SCORE_PARTS.map(([part, name]) => ({
          name,
          detail: signalDetail(lead, part),
          points: Math.round(breakdown[part] * 100),
        }))
      : [],
    conversation_id: conversationId,
  };
}

const spreadView = (s: Spread) => ({ samples: s.samples, median: s.median, p90: s.p90 });

/** The analytics page's figures of a range of local dates. */
export function rangeFiguresView(range: { from: string; to: string; timezone: string }, f: RangeFigures) {
  return {
    range,
    funnel: {
      leads: f.funnel.leads,
      qualified: f.funnel.qualified,
      appointment_requested: f.funnel.appointmentRequested,
      booked: f.funnel.booked,
    },
    time_to_book_minutes: spreadView(f.timeToBookMinutes),
    response_seconds: { bot: spreadView(f.responseSeconds.bot), human: spreadView(f.responseSeconds.human) },
    costs: {
      ai_usd: f.costs.aiUsd,
      stt_usd: f.costs.sttUsd,
      total_usd: f.costs.totalUsd,
      ai_per_lead_usd: f.costs.aiPerLeadUsd,
      stt_per_lead_usd: f.costs.sttPerLeadUsd,
      total_per_lead_usd: f.costs.totalPerLeadUsd,
    },
  };
}

/**
 * One live event as a server-sent event of `/app/api/events`: `event:` names its type, `data:` is
 * `{type, conversation_id, at, data}` (`conversation_id` null for a lead event).
 */
export function appEventFrame(event: LiveEvent): string {
  const data = { type: event.type, conversation_id: event.conversationId, at: event.at, data: event.data };
  return `id: ${newId('evt')}\nevent: ${event.type}\ndata: ${JSON.stringify(data)}\n\n`;
}
