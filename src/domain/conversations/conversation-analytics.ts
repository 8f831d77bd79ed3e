import { analyzeSentiment } from '../../engine/sentiment/sentiment.js';
import type { Conversation, ConversationRecord, Message } from './conversation-record.js';

/** Figures about one conversation, computed from what is stored (nothing is sampled or cached). */
export interface ConversationAnalytics {
  conversation_id: string;
  channel: string;
  status: string;
  started_at: string;
  last_activity_at: string;
  closed_at: string | null;
  duration_seconds: number;
  messages: {
    total: number;
    by_sender: Record<'customer' | 'bot' | 'agent' | 'system', number>;
    by_direction: Record<'inbound' | 'outbound', number>;
    failed: number;
  };
  response_times: {
    /** Seconds from the first customer message to the first answer (bot or agent). */
    first_response_seconds: number | null;
    /** Mean seconds from a customer message to the next answer. */
    average_response_seconds: number | null;
  };
  intents: { intent: string; count: number; first_seen_at: string; last_seen_at: string }[];
  current_intent: string | null;
  sentiment: {
    overall: 'positive' | 'neutral' | 'negative' | null;
    average_score: number | null;
    /** Second half of the customer's messages against the first half. */
    trend: 'improving' | 'declining' | 'stable' | null;
    timeline: { message_id: string; at: string; sentiment: string; score: number }[];
  };
  resolution: {
    status: string;
    resolution: string | null;
    closed_at: string | null;
    stage: string;
    collected_fields: string[];
  };
  escalations: {
    count: number;
    open: boolean;
    transfers: {
      transfer_id: string;
      status: string;
      reason: string | null;
      priority: string;
      department: string | null;
      agent: { agent_id: string; name: string | null } | null;
      created_at: string;
      accepted_at: string | null;
      completed_at: string | null;
      wait_seconds: number | null;
      handling_seconds: number | null;
    }[];
  };
  feedback: {
    count: number;
    average_rating: number | null;
    helpful: number;
    not_helpful: number;
    comments: { message_id: string | null; comment: string; rating: number | null; at: string }[];
  };
}

/** What spec D calls `resolution_status`: how the conversation stands. */
export function resolutionStatus(c: Pick<Conversation, 'status' | 'resolution'>): string {
  if (c.status === 'closed') return c.resolution ?? 'resolved';
  if (c.status === 'waiting_agent' || c.status === 'with_agent') return 'escalated';
  return 'in_progress';
}

const SENTIMENT_THRESHOLD = 0.2;
const TREND_DELTA = 0.2;

const seconds = (from: string, to: string) => Math.max(0, Math.round((Date.parse(to) - Date.parse(from)) / 1000));
const mean = (xs: number[]) =>
  xs.length === 0 ? null : Math.round((xs.reduce((a, b) => a + b, 0) / xs.length) * 1000) / 1000;
const label = (score: number): 'positive' | 'neutral' | 'negative' =>
  score >= SENTIMENT_THRESHOLD ? 'positive' : score <= -SENTIMENT_THRESHOLD ? 'negative' : 'neutral';

/** Each customer message's sentiment: the one stored with it when the conversation core analysed it, else read locally. */
export function sentimentTimeline(
  messages: Message[],
): { message_id: string; at: string; sentiment: string; score: number }[] {
  return messages
    .filter((m) => m.sender === 'customer' && m.text.trim() !== '')
    .map((m) => {
      const reading = analyzeSentiment(m.text);
      return { message_id: m.id, at: m.createdAt, sentiment: m.sentiment ?? reading.sentiment, score: reading.score };
    });
}

function responseTimes(messages: Message[]): ConversationAnalytics['response_times'] {
  const waits: number[] = [];
  let waitingSince: string | null = null;
  for (const m of messages) {
    if (m.sender === 'customer') waitingSince ??= m.createdAt;
    else if ((m.sender === 'bot' || m.sender === 'agent') && waitingSince !== null) {
      waits.push(seconds(waitingSince, m.createdAt));
      waitingSince = null;
    }
  }
  const avg = mean(waits);
  return {
    first_response_seconds: waits[0] ?? null,
    average_response_seconds: avg === null ? null : Math.round(avg * 10) / 10,
  };
}

export function conversationAnalytics(record: ConversationRecord): ConversationAnalytics {
  const { conversation: c, messages, transfers, feedback } = record;
  const bySender = { customer: 0, bot: 0, agent: 0, system: 0 };
  const byDirection = { inbound: 0, outbound: 0 };
  const intents = new Map<string, { intent: string; count: number; first_seen_at: string; last_seen_at: string }>();
  for (const m of messages) {
    if (m.sender in bySender) bySender[m.sender as keyof typeof bySender] += 1;
    if (m.direction in byDirection) byDirection[m.direction] += 1;
    if (m.intent && m.sender === 'customer') {
      const seen = intents.get(m.intent);
      if (seen) {
        seen.count += 1;
        seen.last_seen_at = m.createdAt;
      } else
        intents.set(m.intent, { intent: m.intent, count: 1, first_seen_at: m.createdAt, last_seen_at: m.createdAt });
    }
  }

  const timeline = sentimentTimeline(messages);
  const scores = timeline.map((t) => t.score);
  const average = mean(scores);
  let trend: ConversationAnalytics['sentiment']['trend'] = null;
  if (scores.length >= 2) {
    const half = Math.floor(scores.length / 2);
    const delta = (mean(scores.slice(scores.length - half)) ?? 0) - (mean(scores.slice(0, half)) ?? 0);
    trend = delta >= TREND_DELTA ? 'improving' : delta <= -TREND_DELTA ? 'declining' : 'stable';
  }

  const ratings = feedback.flatMap((f) => (f.rating === null ? [] : [f.rating]));
  const end = c.closedAt ?? c.lastActivityAt;
  return {
    conversation_id: c.id,
    channel: c.channel,
    status: c.status,
    started_at: c.createdAt,
    last_activity_at: c.lastActivityAt,
    closed_at: c.closedAt,
    duration_seconds: seconds(c.createdAt, end),
    messages: {
      total: messages.length,
      by_sender: bySender,
      by_direction: byDirection,
      failed: messages.filter((m) => m.status === 'failed').length,
    },
    response_times: responseTimes(messages),
    intents: [...intents.values()],
    current_intent: c.currentIntent ?? c.state.current_intent,
    sentiment: { overall: average === null ? null : label(average), average_score: average, trend, timeline },
    resolution: {
      status: resolutionStatus(c),
      resolution: c.resolution,
      closed_at: c.closedAt,
      stage: c.state.conversation_stage,
      collected_fields: Object.keys(c.state.collected),
    },
    escalations: {
      count: transfers.length,
      open: transfers.some((t) => t.status === 'queued' || t.status === 'accepted'),
      transfers: transfers.map((t) => ({
        transfer_id: t.id,
        status: t.status,
        reason: t.reason,
        priority: t.priority,
        department: t.department,
        agent: t.agentUserId ? { agent_id: t.agentUserId, name: record.agentNames.get(t.agentUserId) ?? null } : null,
        created_at: t.createdAt,
        accepted_at: t.acceptedAt,
        completed_at: t.completedAt,
        wait_seconds: t.acceptedAt ? seconds(t.createdAt, t.acceptedAt) : null,
        handling_seconds:
          t.completedAt && t.status === 'completed' ? seconds(t.acceptedAt ?? t.createdAt, t.completedAt) : null,
      })),
    },
    feedback: {
      count: feedback.length,
      average_rating:
        ratings.length === 0 ? null : Math.round((ratings.reduce((a, b) => a + b, 0) / ratings.length) * 100) / 100,
      helpful: feedback.filter((f) => f.helpful === true).length,
      not_helpful: feedback.filter((f) => f.helpful === false).length,
      comments: feedback.flatMap((f) =>
        f.comment ? [{ message_id: f.messageId, comment: f.comment, rating: f.rating, at: f.createdAt }] : [],
      ),
    },
  };
}
