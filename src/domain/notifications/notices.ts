/** A handoff as the people told of it see it. */
export interface HandoffNotice {
  conversationId: string;
  transferId: string;
  /** The user the handoff is assigned to, when one is. */
  assigneeUserId: string | null;
  reason: string;
  priority: string;
  department: string | null;
  /** What the person taking over needs to know: the dialog's briefing, or who asked and why. */
  briefing: Record<string, unknown>;
}

/** Something the owner must hear of. */
export type OwnerEvent =
  | {
      kind: 'hot_lead';
      leadId: string;
      score: number;
      name: string | null;
      summary: string | null;
      conversationId?: string | null;
    }
  | { kind: 'pipeline_failed'; requestId: string; step: string; error: string }
  | { kind: 'webhook_disabled'; endpointId: string; url: string; reason: string };

/** One message, whichever channel carries it. */
export interface Notice {
  subject: string;
  /** Plain text, the link included. */
  text: string;
  link: string;
  /** A text message's worth: the subject, the briefing's gist and the link. */
  short: string;
}

const BRIEFING_MAX = 2000;
/** Two SMS segments' worth of words before the link, so a text stays cheap and readable. */
const SHORT_MAX = 240;

function shortText(subject: string, gist: string, link: string): string {
  const words = gist ? `${subject}: ${gist.replace(/\s+/g, ' ').trim()}` : subject;
  return `${words.length > SHORT_MAX ? `${words.slice(0, SHORT_MAX - 1)}…` : words} ${link}`;
}

/** What a text says of a briefing: its summary, request and note, else its first line. */
function gistOf(briefing: Record<string, unknown>): string {
  const said = ['summary', 'request', 'note'].map((k) => briefing[k]).filter((v) => typeof v === 'string' && v !== '');
  return said.length > 0 ? said.join('; ') : (briefingText(briefing).split('\n')[0] ?? '');
}

const shown = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v));

function line(label: string, value: unknown): string | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  if (typeof value === 'object') {
    const parts = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== null && v !== undefined && v !== '')
      .map(([k, v]) => `${k}: ${shown(v)}`);
    return parts.length > 0 ? `${label}: ${parts.join(', ')}` : undefined;
  }
  return `${label}: ${shown(value)}`;
}

/** The briefing as readable lines (summary, request, customer first), capped so a long one cannot swell a text. */
export function briefingText(briefing: Record<string, unknown>): string {
  const first = ['summary', 'request', 'customer', 'reason', 'intent', 'sentiment', 'note'];
  const keys = [...first.filter((k) => k in briefing), ...Object.keys(briefing).filter((k) => !first.includes(k))];
  const text = keys
    .map((k) => line(k.replace(/_/g, ' '), briefing[k]))
    .filter((l): l is string => l !== undefined)
    .join('\n');
  return text.length > BRIEFING_MAX ? `${text.slice(0, BRIEFING_MAX - 1)}…` : text;
}

export function handoffNotice(h: HandoffNotice, tenantName: string, baseUrl: string): Notice {
  const link = `${baseUrl}/app/conversations/${encodeURIComponent(h.conversationId)}`;
  const who = h.department ? ` (${h.department})` : '';
  const subject = `[${tenantName}] A customer is waiting for a person${who}`;
  return {
    subject,
    text: `A conversation was handed to your team (${h.reason}, priority ${h.priority}).\n\n${briefingText(h.briefing)}\n\nTake it over: ${link}`,
    link,
    short: shortText(subject, gistOf(h.briefing), link),
  };
}

export function unansweredNotice(h: HandoffNotice, waitedMinutes: number, tenantName: string, baseUrl: string): Notice {
  const link = `${baseUrl}/app/conversations/${encodeURIComponent(h.conversationId)}`;
  const subject = `[${tenantName}] Nobody took a handoff in ${waitedMinutes} minutes`;
  return {
    subject,
    text: `A customer has waited ${waitedMinutes} minutes for a person and nobody has taken the conversation over.\n\n${briefingText(h.briefing)}\n\nAnswer them: ${link}`,
    link,
    short: shortText(subject, gistOf(h.briefing), link),
  };
}

export function ownerNotice(event: OwnerEvent, tenantName: string, baseUrl: string): Notice {
  const notice = ownerMessage(event, tenantName, baseUrl);
  return { ...notice, short: shortText(notice.subject, '', notice.link) };
}

function ownerMessage(event: OwnerEvent, tenantName: string, baseUrl: string): Omit<Notice, 'short'> {
  switch (event.kind) {
    case 'hot_lead': {
      const link = event.conversationId
        ? `${baseUrl}/app/conversations/${encodeURIComponent(event.conversationId)}`
        : `${baseUrl}/app/leads/${encodeURIComponent(event.leadId)}`;
      const who = event.name ?? 'A new lead';
      return {
        subject: `[${tenantName}] HOT lead: ${who} (score ${event.score})`,
        text: `${who} scored ${event.score} and is HOT.${event.summary ? `\n\n${event.summary}` : ''}\n\nOpen it: ${link}`,
        link,
      };
    }
    case 'pipeline_failed': {
      const link = `${baseUrl}/app/requests/${encodeURIComponent(event.requestId)}`;
      return {
        subject: `[${tenantName}] A lead request failed at ${event.step}`,
        text: `Request ${event.requestId} failed at step ${event.step}: ${event.error}\n\nSee it: ${link}`,
        link,
      };
    }
    case 'webhook_disabled': {
      const link = `${baseUrl}/app/settings/webhooks`;
      return {
        subject: `[${tenantName}] A webhook was disabled`,
        text: `Deliveries to ${event.url} kept failing, so the endpoint ${event.endpointId} was disabled: ${event.reason}\n\nRe-enable it once it answers again: ${link}`,
        link,
      };
    }
  }
}
