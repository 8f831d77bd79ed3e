import type { ConversationFacts } from '../../domain/analytics/index.js';
import { resolutionStatus } from '../../domain/analytics/index.js';
import type {
  Conversation,
  ConversationDetail,
  LifecycleChange,
  ListedConversation,
  Message,
  MessageRecord,
  ReplyMetadata,
  Turn,
  ConversationRecord,
} from '../../domain/conversations/index.js';
import { messageContent, readableIntent } from '../../domain/conversations/index.js';
import { csvText, type ConversationExport, type ConversationExportFile } from '../../domain/exports/index.js';
import type { AgentMessageSent, HandoffResult } from '../../domain/handoff/index.js';
import type { LiveEvent } from '../../domain/live/index.js';
import type { Session } from '../../domain/sessions/index.js';
import { newId } from '../../lib/ids.js';
import type { GenericOutcome, ReceivedBatch } from '../../domain/inbound/index.js';

/* ---- conversations, handoff, sessions, chat and live: spec D's answers, shaped from the domain's records ---- */

function replyView(reply: MessageRecord | null) {
  return reply
    ? {
        message_id: reply.id,
        type: 'text',
        text: reply.text,
        quick_replies: reply.quickReplies.map((q) => ({ title: q.title, payload: q.payload })),
      }
    : null;
}

/** Spec D's "Send Message" answer, rebuilt from what was stored so a repeated message id gets the same body. */
export function turnView(turn: Turn) {
  const meta = turn.reply?.metadata as ReplyMetadata | undefined;
  return {
    message_id: turn.inbound.externalId ?? turn.inbound.id,
    conversation_id: turn.conversationId,
    response: replyView(turn.reply),
    conversation_state: {
      current_intent: turn.state.current_intent,
      entities: turn.state.entities,
      next_expected_input: turn.state.next_expected_input,
      conversation_stage: turn.state.conversation_stage,
    },
    processing_metadata: {
      model_used: meta?.model_used ?? null,
      processing_time_ms: meta?.processing_time_ms ?? 0,
      confidence_score: meta?.confidence_score ?? null,
    },
    // Not in the spec's example: tells the widget a human has the conversation (then `response` is null).
    conversation_status: turn.conversationStatus,
  };
}

/** Spec D's message (GET /chat/message/{id}): with its reply when inbound, its processing when the bot's. */
export function chatMessageView(m: MessageRecord, reply: MessageRecord | null) {
  const meta = m.metadata as Partial<ReplyMetadata>;
  return {
    message_id: m.id,
    external_message_id: m.externalId,
    conversation_id: m.conversationId,
    channel: m.channel,
    direction: m.direction,
    sender: m.sender,
    content: {
      type: m.contentType,
      text: m.text,
      media: m.media.map((x) => ({
        kind: x.kind,
        url: x.url ?? null,
        type: x.mimeType ?? null,
        size_bytes: x.sizeBytes ?? null,
        alt_text: x.caption ?? null,
      })),
    },
    quick_replies: m.quickReplies,
    status: m.status,
    error: m.error,
    intent: m.intent,
    confidence_score: m.confidence,
    sentiment: m.sentiment,
    reply_to_message_id: m.replyToId,
    response: m.direction === 'inbound' ? replyView(reply) : null,
    processing_metadata:
      m.direction === 'outbound' && m.sender === 'bot'
        ? {
            model_used: meta.model_used ?? null,
            processing_time_ms: meta.processing_time_ms ?? null,
            confidence_score: meta.confidence_score ?? null,
          }
        : null,
    created_at: m.createdAt,
  };
}

function conversationMessageView(m: Message) {
  return {
    message_id: m.id,
    direction: m.direction,
    sender: m.sender,
    timestamp: m.createdAt,
    content: messageContent(m),
    intent: m.intent,
    sentiment: m.sentiment,
    status: m.status,
  };
}

function currentIntent(c: Conversation): string | null {
  return c.currentIntent ?? c.state.current_intent;
}

const minutesBetween = (from: string, to: string) =>
  Math.max(0, Math.round((Date.parse(to) - Date.parse(from)) / 60_000));

export function listedConversationView({ conversation: c, messageCount, averageRating }: ListedConversation) {
  const intent = currentIntent(c);
  return {
    conversation_id: c.id,
    user_id: c.userId,
    channel: c.channel,
    status: c.status,
    started_at: c.createdAt,
    last_activity_at: c.lastActivityAt,
    message_count: messageCount,
    current_intent: intent,
    assigned_agent_id: c.assignedAgentId,
    summary: {
      primary_issue: c.summary ?? (intent ? readableIntent(intent) : null),
      resolution_status: resolutionStatus(c),
      customer_satisfaction: averageRating === null ? null : Math.round(averageRating * 100) / 100,
    },
  };
}

export function conversationDetailView(detail: ConversationDetail, includeMessages: boolean) {
  const c = detail.conversation;
  return {
    conversation_id: c.id,
    user_id: c.userId,
    contact_id: c.contactId,
    session_id: c.sessionId,
    channel: c.channel,
    status: c.status,
    bot_paused: c.botPaused,
    started_at: c.createdAt,
    last_activity_at: c.lastActivityAt,
    closed_at: c.closedAt,
    assigned_agent_id: c.assignedAgentId,
    department: c.department,
    priority: c.priority,
    lead_id: c.leadId,
    context: {
      current_intent: currentIntent(c),
      entities: { ...c.state.entities, ...c.state.collected },
      conversation_stage: c.state.conversation_stage,
      next_expected_input: c.state.next_expected_input,
      collected: c.state.collected,
      metadata: c.context,
    },
    ...(includeMessages
      ? {
          messages: detail.messages.map(conversationMessageView),
          has_more_messages: detail.totalMessages > detail.messages.length,
        }
      : {}),
    summary: {
      total_messages: detail.totalMessages,
      duration_minutes: minutesBetween(c.createdAt, c.closedAt ?? c.lastActivityAt),
      resolution_status: resolutionStatus(c),
      escalation_count: detail.transfers.length,
    },
  };
}

/** Spec D's transfer answer. */
export function handoffView(result: HandoffResult) {
  return {
    transfer_id: result.transferId,
    status: result.status,
    assigned_agent: result.assignedAgent
      ? {
          agent_id: result.assignedAgent.id,
          name: result.assignedAgent.name,
          department: result.assignedAgent.department,
        }
      : null,
    department: result.department,
    priority: result.priority,
    queue_position: result.queuePosition,
    estimated_wait_time_minutes: Math.ceil(result.estimatedWaitSeconds / 60),
    estimated_wait_time_seconds: result.estimatedWaitSeconds,
    average_handling_time_seconds: result.averageHandlingSeconds,
    transfer_message: result.customerMessage,
    conversation_status: 'waiting_agent',
    bot_paused: true,
  };
}

export function handedBackView(c: Conversation) {
  return { conversation_id: c.id, status: c.status, bot_paused: c.botPaused, handed_back_at: c.updatedAt };
}

export function agentMessageView(sent: AgentMessageSent, text: string) {
  return {
    message_id: sent.messageId,
    conversation_id: sent.conversationId,
    direction: 'outbound',
    sender: 'agent',
    agent: sent.agent ? { agent_id: sent.agent.id, name: sent.agent.name } : null,
    transfer_id: sent.transferId,
    timestamp: sent.createdAt,
    content: { type: 'text', text },
    status: sent.status,
  };
}

export function closedView(change: LifecycleChange) {
  return {
    conversation_id: change.conversationId,
    status: change.status,
    previous_status: change.previousStatus,
    resolution: change.resolution,
    closed_at: change.closedAt,
  };
}

export function reopenedView(change: LifecycleChange) {
  return {
    conversation_id: change.conversationId,
    status: change.status,
    previous_status: change.previousStatus,
    reopened_at: change.at,
  };
}

export function sessionView(s: Session) {
  return {
    session_id: s.id,
    user_id: s.userId,
    channel: s.channel,
    status: s.status,
    created_at: s.createdAt,
    last_activity: s.lastActivityAt,
    expires_at: s.expiresAt,
    ended_at: s.endedAt,
    timeout_minutes: s.timeoutMinutes,
    conversation_count: s.conversationCount,
    message_count: s.messageCount,
    metadata: s.metadata,
    context: s.context,
  };
}

export function createdSessionView(session: Session, sessionToken: string) {
  return {
    session_id: session.id,
    user_id: session.userId,
    channel: session.channel,
    status: session.status,
    created_at: session.createdAt,
    expires_at: session.expiresAt,
    session_token: sessionToken,
    context: session.context,
  };
}

export function endedSessionView(s: Session) {
  return {
    session_id: s.id,
    status: s.status,
    ended: true,
    ended_at: s.endedAt,
    duration_minutes: s.context.session_duration_minutes ?? 0,
    conversation_count: s.conversationCount,
    message_count: s.messageCount,
  };
}

/** One server-sent event: `id`, `event` (the live event type) and the event as JSON `data`. */
export function sseFrame(event: LiveEvent): string {
  const data = {
    type: event.type,
    tenant_id: event.tenantId,
    conversation_id: event.conversationId,
    timestamp: event.at,
    data: event.data,
  };
  return `id: ${newId('evt')}\nevent: ${event.type}\ndata: ${JSON.stringify(data)}\n\n`;
}

// ---------------------------------------------------------------------------------------------
// Analytics and exports: spec D's conversation analytics document, its export answer and files.

/** Spec D's conversation analytics. */
export function conversationAnalyticsView(a: ConversationFacts) {
  return {
    conversation_id: a.conversationId,
    channel: a.channel,
    status: a.status,
    started_at: a.startedAt,
    last_activity_at: a.lastActivityAt,
    closed_at: a.closedAt,
    duration_seconds: a.durationSeconds,
    messages: {
      total: a.messages.total,
      by_sender: a.messages.bySender,
      by_direction: a.messages.byDirection,
      failed: a.messages.failed,
    },
    response_times: {
      first_response_seconds: a.responseTimes.firstSeconds,
      average_response_seconds: a.responseTimes.averageSeconds,
    },
    intents: a.intents.map((i) => ({
      intent: i.intent,
      count: i.count,
      first_seen_at: i.firstSeenAt,
      last_seen_at: i.lastSeenAt,
    })),
    current_intent: a.currentIntent,
    sentiment: {
      overall: a.sentiment.overall,
      average_score: a.sentiment.averageScore,
      trend: a.sentiment.trend,
      timeline: a.sentiment.timeline.map((t) => ({
        message_id: t.messageId,
        at: t.at,
        sentiment: t.sentiment,
        score: t.score,
      })),
    },
    resolution: {
      status: a.resolution.status,
      resolution: a.resolution.resolution,
      closed_at: a.resolution.closedAt,
      stage: a.resolution.stage,
      collected_fields: a.resolution.collectedFields,
    },
    escalations: {
      count: a.escalations.count,
      open: a.escalations.open,
      transfers: a.escalations.transfers.map(transferFactsView),
    },
    feedback: {
      count: a.feedback.count,
      average_rating: a.feedback.averageRating,
      helpful: a.feedback.helpful,
      not_helpful: a.feedback.notHelpful,
      comments: a.feedback.comments.map((c) => ({
        message_id: c.messageId,
        comment: c.comment,
        rating: c.rating,
        at: c.at,
      })),
    },
  };
}

function transferFactsView(t: ConversationFacts['escalations']['transfers'][number]) {
  return {
    transfer_id: t.id,
    status: t.status,
    reason: t.reason,
    priority: t.priority,
    department: t.department,
    agent: t.agent ? { agent_id: t.agent.id, name: t.agent.name } : null,
    created_at: t.createdAt,
    accepted_at: t.acceptedAt,
    completed_at: t.completedAt,
    wait_seconds: t.waitSeconds,
    handling_seconds: t.handlingSeconds,
  };
}

/** Spec D's answer to a conversation export. */
export function conversationExportView(result: ConversationExport) {
  return {
    export_id: result.exportId,
    conversation_id: result.conversationId,
    format: result.format,
    download_url: result.downloadUrl,
    expires_at: result.expiresAt,
    file_size_bytes: result.fileSizeBytes,
    message_count: result.messageCount,
  };
}

function exportedMessage(m: Message, includeMetadata: boolean) {
  return {
    message_id: m.id,
    direction: m.direction,
    sender: m.sender,
    timestamp: m.createdAt,
    content: messageContent(m),
    intent: m.intent,
    confidence: m.confidence,
    sentiment: m.sentiment,
    status: m.status,
    ...(includeMetadata ? { metadata: m.metadata, error: m.error, reply_to_id: m.replyToId } : {}),
  };
}

function exportedConversation(record: ConversationRecord, includeMetadata: boolean) {
  const c = record.conversation;
  return {
    conversation_id: c.id,
    user_id: c.userId,
    contact_id: c.contactId,
    channel: c.channel,
    status: c.status,
    started_at: c.createdAt,
    last_activity_at: c.lastActivityAt,
    closed_at: c.closedAt,
    resolution: c.resolution,
    current_intent: c.currentIntent ?? c.state.current_intent,
    assigned_agent_id: c.assignedAgentId,
    department: c.department,
    lead_id: c.leadId,
    ...(includeMetadata ? { state: c.state, context: c.context, session_id: c.sessionId } : {}),
  };
}

const EXPORT_CSV_COLUMNS = [
  'conversation_id',
  'message_id',
  'timestamp',
  'direction',
  'sender',
  'content_type',
  'text',
  'intent',
  'confidence',
  'sentiment',
  'status',
] as const;

/** Spec D's conversation export file: one JSON document, or a CSV line per message. */
export const conversationExportFile: ConversationExportFile<ConversationRecord> = ({
  exportId,
  exportedAt,
  record,
  analytics,
  params,
}) => {
  const { includeMetadata } = params;
  if (params.format === 'csv')
    return csvText(
      {
        columns: includeMetadata ? [...EXPORT_CSV_COLUMNS, 'metadata'] : EXPORT_CSV_COLUMNS,
        row: (m: Message) => {
          const cells = [record.conversation.id, m.id, m.createdAt, m.direction, m.sender, m.contentType, m.text];
          const more = [...cells, m.intent, m.confidence, m.sentiment, m.status];
          return includeMetadata ? [...more, JSON.stringify(m.metadata)] : more;
        },
      },
      record.messages,
    );
  const document = {
    export_id: exportId,
    exported_at: exportedAt,
    date_range: { start: params.from ?? null, end: params.to ?? null },
    conversation: exportedConversation(record, includeMetadata),
    messages: record.messages.map((m) => exportedMessage(m, includeMetadata)),
    transfers: record.transfers.map((t) => ({
      transfer_id: t.id,
      status: t.status,
      priority: t.priority,
      department: t.department,
      agent_id: t.agentUserId,
      reason: t.reason,
      created_at: t.createdAt,
      completed_at: t.completedAt,
    })),
    ...(analytics ? { analytics: conversationAnalyticsView(analytics) } : {}),
  };
  return JSON.stringify(document, null, 2);
};

/* ---- Channel webhooks (spec D /webhooks/*) ---- */

/** Spec D's answer to a platform webhook: what was received, what was a duplicate, how long it took. */
export function receivedView(batch: ReceivedBatch, receivedAt: number) {
  const first = batch.results[0];
  return {
    status: 'received',
    message_id: first?.messageId ?? null,
    conversation_id: first?.conversationId ?? null,
    processing_time_ms: Math.max(0, Date.now() - receivedAt),
    messages_received: batch.results.filter((r) => !r.duplicate).length,
    duplicates: batch.results.filter((r) => r.duplicate).length,
    statuses_applied: batch.statusesApplied,
  };
}

/** Spec D's answer to a custom integration's event. */
export function genericView(outcome: GenericOutcome) {
  return {
    status: 'processed',
    event_id: outcome.eventId,
    event_type: outcome.eventType,
    actions_taken: outcome.actions,
    affected_conversations: outcome.affectedConversations,
    ...(outcome.contactId !== undefined ? { contact_id: outcome.contactId } : {}),
    ...(outcome.messageId !== undefined ? { message_id: outcome.messageId } : {}),
    ...(outcome.conversationId !== undefined ? { conversation_id: outcome.conversationId } : {}),
  };
}
