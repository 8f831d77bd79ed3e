import { analyzeSentiment } from '../../engine/sentiment/sentiment.js';
import { mean, round, secondsBetween } from './figures.js';

/**
 * What the conversation figures read of a stored conversation. The conversations concept hands
 * out records of this shape; the figures name only the fields they use, so this concept does not
 * depend on that one.
 */
export interface ConversationActivity {
  conversation: {
    id: string;
    channel: string;
    status: string;
    createdAt: string;
    lastActivityAt: string;
    closedAt: string | null;
    resolution: string | null;
    currentIntent: string | null;
    state: { current_intent: string | null; conversation_stage: string; collected: Record<string, unknown> };
  };
  messages: readonly {
    id: string;
    sender: string;
    direction: 'inbound' | 'outbound';
    status: string;
    text: string;
    intent: string | null;
    sentiment: string | null;
    createdAt: string;
  }[];
  transfers: readonly {
    id: string;
    status: string;
    reason: string | null;
    priority: string;
    department: string | null;
    agentUserId: string | null;
    createdAt: string;
    acceptedAt: string | null;
    completedAt: string | null;
  }[];
  feedback: readonly {
    messageId: string | null;
    rating: number | null;
    helpful: boolean | null;
    comment: string | null;
    createdAt: string;
  }[];
  /** Display names of the agents it mentions, by user id. */
  agentNames: ReadonlyMap<string, string>;
}

export type Sentiment = 'positive' | 'neutral' | 'negative';
export type SentimentTrend = 'improving' | 'declining' | 'stable';

export interface SentimentReading {
  messageId: string;
  at: string;
  sentiment: string;
  score: number;
}

export interface IntentSeen {
  intent: string;
  count: number;
  firstSeenAt: string;
  lastSeenAt: string;
}

export interface TransferFacts {
  id: string;
  status: string;
  reason: string | null;
  priority: string;
  department: string | null;
  agent: { id: string; name: string | null } | null;
  createdAt: string;
  acceptedAt: string | null;
  completedAt: string | null;
  waitSeconds: number | null;
  handlingSeconds: number | null;
}

/** Figures about one conversation, computed from what is stored (nothing is sampled or cached). */
export interface ConversationFacts {
  conversationId: string;
  channel: string;
  status: string;
  startedAt: string;
  lastActivityAt: string;
  closedAt: string | null;
  durationSeconds: number;
  messages: {
    total: number;
    bySender: Record<'customer' | 'bot' | 'agent' | 'system', number>;
    byDirection: Record<'inbound' | 'outbound', number>;
    failed: number;
  };
  responseTimes: {
    /** Seconds from the first customer message to the first answer (bot or agent). */
    firstSeconds: number | null;
    /** Mean seconds from a customer message to the next answer. */
    averageSeconds: number | null;
  };
  intents: IntentSeen[];
  currentIntent: string | null;
  sentiment: {
    overall: Sentiment | null;
    averageScore: number | null;
    /** Second half of the customer's messages against the first half. */
    trend: SentimentTrend | null;
    timeline: SentimentReading[];
  };
  resolution: {
    status: string;
    resolution: string | null;
    closedAt: string | null;
    stage: string;
    collectedFields: string[];
  };
  escalations: { count: number; open: boolean; transfers: TransferFacts[] };
  feedback: {
    count: number;
    averageRating: number | null;
    helpful: number;
    notHelpful: number;
    comments: { messageId: string | null; comment: string; rating: number | null; at: string }[];
  };
}

/** How a conversation stands: its resolution once closed, escalated while with or awaiting an agent, else in progress. */
export function resolutionStatus(c: { status: string; resolution: string | null }): string {
  if (c.status === 'closed') return c.resolution ?? 'resolved';
  if (c.status === 'waiting_agent' || c.status === 'with_agent') return 'escalated';
  return 'in_progress';
}

const SENTIMENT_THRESHOLD = 0.2;
const TREND_DELTA = 0.2;

const mean3 = (xs: readonly number[]) => {
  const m = mean(xs);
  return m === null ? null : round(m, 3);
};
const label = (score: number): Sentiment =>
  score >= SENTIMENT_THRESHOLD ? 'positive' : score <= -SENTIMENT_THRESHOLD ? 'negative' : 'neutral';

type Messages = ConversationActivity['messages'];

/** Each customer message's sentiment: the one stored with it when the conversation core analysed it, else read locally. */
function sentimentTimeline(messages: Messages): SentimentReading[] {
  return messages
    .filter((m) => m.sender === 'customer' && m.text.trim() !== '')
    .map((m) => {
      const reading = analyzeSentiment(m.text);
      return { messageId: m.id, at: m.createdAt, sentiment: m.sentiment ?? reading.sentiment, score: reading.score };
    });
}

function sentimentOf(messages: Messages): ConversationFacts['sentiment'] {
  const timeline = sentimentTimeline(messages);
  const scores = timeline.map((t) => t.score);
  const average = mean3(scores);
  let trend: SentimentTrend | null = null;
  if (scores.length >= 2) {
    const half = Math.floor(scores.length / 2);
    const delta = (mean3(scores.slice(scores.length - half)) ?? 0) - (mean3(scores.slice(0, half)) ?? 0);
    trend = delta >= TREND_DELTA ? 'improving' : delta <= -TREND_DELTA ? 'declining' : 'stable';
  }
  return { overall: average === null ? null : label(average), averageScore: average, trend, timeline };
}

function responseTimes(messages: Messages): ConversationFacts['responseTimes'] {
  const waits: number[] = [];
  let waitingSince: string | null = null;
  for (const m of messages) {
    if (m.sender === 'customer') waitingSince ??= m.createdAt;
    else if ((m.sender === 'bot' || m.sender === 'agent') && waitingSince !== null) {
      waits.push(secondsBetween(waitingSince, m.createdAt));
      waitingSince = null;
    }
  }
  const avg = mean3(waits);
  return { firstSeconds: waits[0] ?? null, averageSeconds: avg === null ? null : round(avg, 1) };
}

function messageCounts(messages: Messages): ConversationFacts['messages'] {
  const bySender = { customer: 0, bot: 0, agent: 0, system: 0 };
  const byDirection = { inbound: 0, outbound: 0 };
  for (const m of messages) {
    if (m.sender in bySender) bySender[m.sender as keyof typeof bySender] += 1;
    if (m.direction in byDirection) byDirection[m.direction] += 1;
  }
  const failed = messages.filter((m) => m.status === 'failed').length;
  return { total: messages.length, bySender, byDirection, failed };
}

/** The intents the customer's messages carried, in the order first seen. */
function intentsOf(messages: Messages): IntentSeen[] {
  const intents = new Map<string, IntentSeen>();
  for (const m of messages) {
    if (!m.intent || m.sender !== 'customer') continue;
    const seen = intents.get(m.intent);
    if (seen) {
      seen.count += 1;
      seen.lastSeenAt = m.createdAt;
    } else intents.set(m.intent, { intent: m.intent, count: 1, firstSeenAt: m.createdAt, lastSeenAt: m.createdAt });
  }
  return [...intents.values()];
}

function escalationsOf(record: ConversationActivity): ConversationFacts['escalations'] {
  const { transfers } = record;
  return {
    count: transfers.length,
    open: transfers.some((t) => t.status === 'queued' || t.status === 'accepted'),
    transfers: transfers.map((t) => ({
      id: t.id,
      status: t.status,
      reason: t.reason,
      priority: t.priority,
      department: t.department,
      agent: t.agentUserId ? { id: t.agentUserId, name: record.agentNames.get(t.agentUserId) ?? null } : null,
      createdAt: t.createdAt,
      acceptedAt: t.acceptedAt,
      completedAt: t.completedAt,
      waitSeconds: t.acceptedAt ? secondsBetween(t.createdAt, t.acceptedAt) : null,
      handlingSeconds:
        t.completedAt && t.status === 'completed' ? secondsBetween(t.acceptedAt ?? t.createdAt, t.completedAt) : null,
    })),
  };
}

function feedbackOf(feedback: ConversationActivity['feedback']): ConversationFacts['feedback'] {
  const ratings = feedback.flatMap((f) => (f.rating === null ? [] : [f.rating]));
  const average = mean(ratings);
  return {
    count: feedback.length,
    averageRating: average === null ? null : round(average, 2),
    helpful: feedback.filter((f) => f.helpful === true).length,
    notHelpful: feedback.filter((f) => f.helpful === false).length,
    comments: feedback.flatMap((f) =>
      f.comment ? [{ messageId: f.messageId, comment: f.comment, rating: f.rating, at: f.createdAt }] : [],
    ),
  };
}

export function conversationFacts(record: ConversationActivity): ConversationFacts {
  const { conversation: c, messages } = record;
  return {
    conversationId: c.id,
    channel: c.channel,
    status: c.status,
    startedAt: c.createdAt,
    lastActivityAt: c.lastActivityAt,
    closedAt: c.closedAt,
    durationSeconds: secondsBetween(c.createdAt, c.closedAt ?? c.lastActivityAt),
    messages: messageCounts(messages),
    responseTimes: responseTimes(messages),
    intents: intentsOf(messages),
    currentIntent: c.currentIntent ?? c.state.current_intent,
    sentiment: sentimentOf(messages),
    resolution: {
      status: resolutionStatus(c),
      resolution: c.resolution,
      closedAt: c.closedAt,
      stage: c.state.conversation_stage,
      collectedFields: Object.keys(c.state.collected),
    },
    escalations: escalationsOf(record),
    feedback: feedbackOf(record.feedback),
  };
}

export interface ConversationAnalytics {
  /** The figures of one of the tenant's conversations (not found when it is not the tenant's). */
  conversation(tenantId: string, conversationId: string): Promise<ConversationFacts>;
}

export function createConversationAnalytics(ports: {
  conversations: { record(tenantId: string, id: string): Promise<ConversationActivity> };
}): ConversationAnalytics {
  return {
    async conversation(tenantId, conversationId) {
      return conversationFacts(await ports.conversations.record(tenantId, conversationId));
    },
  };
}
