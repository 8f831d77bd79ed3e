import type { ConversationFacts } from '../../domain/analytics/index.js';
import {
  messageContent,
  type ConversationRecord,
  type Message,
} from '../../domain/conversations/conversation-query.service.js';
import { csvText, type ConversationExport, type ConversationExportFile } from '../../domain/exports/index.js';

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
