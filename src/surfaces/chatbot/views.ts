import type { ChatUsage, ConversationFacts } from '../../domain/analytics/index.js';
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
  ConversationSummary,
} from '../../domain/conversations/index.js';
import { messageContent, readableIntent } from '../../domain/conversations/index.js';
import { csvText, type ConversationExport, type ConversationExportFile } from '../../domain/exports/index.js';
import type { AgentMessageSent, HandoffResult } from '../../domain/handoff/index.js';
import type { LiveEvent } from '../../domain/live/index.js';
import type { Session } from '../../domain/sessions/index.js';
import { newId } from '../../lib/ids.js';
import type { GenericOutcome, ReceivedBatch } from '../../domain/inbound/index.js';
import type { HealthReport, HealthService, ProbeResult } from '../../domain/health/index.js';
import {
  planLimits,
  type CreatedTenant,
  type Plan,
  type RotatedCredential,
  type Tenant,
  type User,
} from '../../domain/tenants/index.js';
import { METRICS, METRIC_PREFIXES, monthOf } from '../../domain/usage/index.js';
import type { RecentStats, Timeframe } from '../../http/metrics.js';

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

/** The fields every spec D message opens with, in the spec's order. */
function messageHead(m: Message) {
  return {
    message_id: m.id,
    direction: m.direction,
    sender: m.sender,
    timestamp: m.createdAt,
    content: messageContent(m),
    intent: m.intent,
  };
}

function conversationMessageView(m: Message) {
  return { ...messageHead(m), sentiment: m.sentiment, status: m.status };
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

/** Spec D's conversation summary; key order as the route has always answered. */
export function conversationSummaryView(s: ConversationSummary) {
  return {
    conversation_id: s.conversationId,
    status: s.status,
    customer: { name: s.customer.name, phone: s.customer.phone, email: s.customer.email },
    customer_goal: {
      intent: s.customerGoal.intent,
      description: s.customerGoal.description,
      first_message: s.customerGoal.firstMessage,
    },
    collected: {
      fields: s.collected.fields,
      entities: s.collected.entities,
      missing_fields: s.collected.missingFields,
    },
    outcome: {
      resolution_status: s.outcome.resolutionStatus,
      resolution: s.outcome.resolution,
      description: s.outcome.description,
      lead_id: s.outcome.leadId,
      transferred: s.outcome.transferred,
      assigned_agent: s.outcome.assignedAgent,
    },
    sentiment: {
      overall: s.sentiment.overall,
      trend: s.sentiment.trend,
      first: s.sentiment.first,
      last: s.sentiment.last,
    },
    message_count: s.messageCount,
    duration_minutes: s.durationMinutes,
    text: s.text,
    generated_by: s.generatedBy,
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
    ...messageHead(m),
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
/** Where spec D serves a conversation export's file (`GET /api/v2/conversations/exports/{file}`). */
export function conversationExportDownloadPath(file: string): string {
  return `/api/v2/conversations/exports/${file}`;
}

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

type ProcessInfo = ReturnType<HealthService['processInfo']>;

// ── Tenants, users, credentials, billing and usage (spec D) ─────────────────────────────────────

export function tenantView(t: Tenant) {
  return {
    tenant_id: t.id,
    name: t.name,
    domain: t.domain,
    plan: t.plan,
    status: t.status,
    timezone: t.timezone,
    created_at: t.createdAt,
    updated_at: t.updatedAt,
    configuration_version: `v${t.configVersion}`,
  };
}

/** Spec D names an invited user's state `invitation_sent`, on creation and in every listing alike. */
const userStatus = (status: string): string => (status === 'invited' ? 'invitation_sent' : status);

export function userView(u: User) {
  return {
    user_id: u.id,
    email: u.email,
    first_name: u.firstName,
    last_name: u.lastName,
    role: u.role,
    status: userStatus(u.status),
    department: u.department,
    permissions: u.permissions,
    invitation_expires_at: u.invitationExpiresAt,
    created_at: u.createdAt,
  };
}

/** A new user as spec D answers it: the invitation is handed back, not e-mailed. */
export function createdUserView(user: User & { invitationToken: string | null }) {
  return {
    ...userView(user),
    invitation_sent: false,
    invitation_token: user.invitationToken,
  };
}

/** A new tenant with its credentials, shown once; `base` is the public URL its webhook endpoint lives under. */
export function createdTenantView({ tenant, credentials: c, adminUser }: CreatedTenant, base: string) {
  return {
    ...tenantView(tenant),
    admin_user: adminUser
      ? {
          user_id: adminUser.id,
          email: adminUser.email,
          role: adminUser.role,
          // Honest: no mail transport exists yet, so the invitation is handed back rather than e-mailed.
          invitation_sent: false,
          invitation_token: adminUser.invitationToken,
          invitation_expires_at: adminUser.invitationExpiresAt,
        }
      : null,
    api_keys: { primary: c.api_key, test: c.test_key },
    webhook_endpoints: { incoming: `${base}/api/v2/webhooks/generic/${tenant.id}`, outgoing: null },
    credentials: {
      webhook_secret: c.webhook_secret,
      client_id: c.client_id,
      client_secret: c.client_secret,
      widget_token: c.widget_token,
      owner_token: c.owner_token,
    },
  };
}

export function rotatedCredentialView(rotated: RotatedCredential) {
  return {
    credential: rotated.kind,
    value: rotated.value,
    ...(rotated.client_id ? { client_id: rotated.client_id } : {}),
    created_at: rotated.created_at,
  };
}

/** `current_month`, `previous_month` or `YYYY-MM` as the month it names. */
export function periodOf(value: string, now: Date): string {
  if (value === 'current_month') return monthOf(now);
  if (value === 'previous_month') return monthOf(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 15)));
  return value;
}

export interface BillingPeriod {
  start: string;
  end: string;
  days_remaining: number;
}

/** The calendar month `period` (`YYYY-MM`) as UTC bounds, and days left counted from `now`. */
export function billingPeriod(period: string, now: Date): BillingPeriod {
  const [y, m] = period.split('-').map(Number) as [number, number];
  const start = new Date(Date.UTC(y, m - 1, 1));
  const end = new Date(Date.UTC(y, m, 1) - 1000);
  const remaining = Math.max(0, Math.ceil((end.getTime() - now.getTime()) / 86_400_000));
  return {
    start: start.toISOString().replace('.000Z', 'Z'),
    end: end.toISOString().replace('.000Z', 'Z'),
    days_remaining: remaining,
  };
}

function byPrefix(counters: Record<string, number>, prefix: string, scale = 1): Record<string, number> {
  return Object.fromEntries(
    Object.entries(counters)
      .filter(([k]) => k.startsWith(prefix))
      .map(([k, v]) => [k.slice(prefix.length), Math.round(v * scale * 100) / 100]),
  );
}

const pct = (used: number, limit: number): number => (limit > 0 ? Math.round((used / limit) * 10000) / 100 : 0);

/**
 * Spec D's usage document: conversations, messages and webhook calls counted from the stored rows,
 * API calls, AI costs and CRM syncs from the usage counters (zeros where nothing happened).
 */
export function usageReport(counters: Record<string, number>, chat: ChatUsage, plan: Plan, period: string, now: Date) {
  const get = (k: string) => counters[k] ?? 0;
  const limits = planLimits[plan];
  const { inbound, outbound } = chat.messages;
  // Costs are counted in micro-dollars so sums stay exact; the report speaks cents.
  const byProvider = byPrefix(counters, METRIC_PREFIXES.aiCostByProvider, 1 / 10_000);
  const byModel = byPrefix(counters, METRIC_PREFIXES.aiCostByModel, 1 / 10_000);
  const totalCents = Math.round(Object.values(byProvider).reduce((a, b) => a + b, 0) * 100) / 100;
  return {
    period,
    usage: {
      conversations: {
        total: chat.conversations.started,
        completed: chat.conversations.completed,
        abandoned: chat.conversations.abandoned,
        escalated: chat.conversations.escalated,
      },
      messages: {
        total: inbound + outbound,
        inbound,
        outbound,
        by_channel: chat.messages.byChannel,
      },
      ai_costs: { total_cents: totalCents, by_provider: byProvider, by_model: byModel },
      integrations: {
        api_calls: get(METRICS.apiCalls),
        webhook_calls: chat.webhookCalls,
        data_sync_operations: get(METRICS.crmSyncs),
      },
    },
    limits: {
      conversations_limit: limits.conversationsPerMonth,
      conversations_used_percent: pct(chat.conversations.started, limits.conversationsPerMonth),
      api_calls_limit: limits.apiCallsPerMonth,
      api_calls_used_percent: pct(get(METRICS.apiCalls), limits.apiCallsPerMonth),
    },
    billing_period: billingPeriod(period, now),
  };
}

/** Spec D's billing document: the plan, its limits, and this month's use and AI costs. */
export function billingView(
  tenant: Tenant,
  counters: Record<string, number>,
  chat: ChatUsage,
  period: string,
  now: Date,
) {
  const report = usageReport(counters, chat, tenant.plan, period, now);
  const limits = planLimits[tenant.plan];
  return {
    tenant_id: tenant.id,
    plan: tenant.plan,
    status: tenant.status,
    currency: 'USD',
    monthly_price: limits.monthlyPriceUsd,
    billing_period: billingPeriod(period, now),
    plan_limits: {
      conversations_per_month: limits.conversationsPerMonth,
      api_calls_per_month: limits.apiCallsPerMonth,
      users: limits.users,
      integrations: limits.integrations,
      batch_size: limits.batchSize,
      concurrent_batches: limits.concurrentBatches,
    },
    current_usage: report.limits,
    ai_costs_cents: report.usage.ai_costs.total_cents,
    estimated_total: Math.round((limits.monthlyPriceUsd + report.usage.ai_costs.total_cents / 100) * 100) / 100,
  };
}

// ── Health (spec D) ──────────────────────────────────────────────────────────────────────────────
const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);

export function basicHealthView(r: HealthReport) {
  return {
    status: r.status,
    timestamp: r.timestamp,
    version: r.version,
    uptime_seconds: r.uptimeSeconds,
    environment: r.environment,
  };
}

/** A store (database, Redis, the data directory) as spec D's detailed status shows it. */
function storeView(p: ProbeResult) {
  return {
    status: p.status,
    response_time_ms: p.responseTimeMs,
    ...(p.error ? { error: p.error } : {}),
    ...(p.reason ? { reason: p.reason } : {}),
    ...(num(p.details.active) === undefined
      ? {}
      : { active_connections: num(p.details.active), idle_connections: num(p.details.idle) }),
  };
}

export function detailedHealthView(
  r: HealthReport,
  host: { process: ProcessInfo; cpuPercent: number; dialect: 'sqlite' | 'postgres' },
) {
  const databases: Record<string, ReturnType<typeof storeView>> = {};
  let storage: ReturnType<typeof storeView> = { status: 'unhealthy', response_time_ms: null };
  for (const p of r.probes) {
    if (p.name === 'database') databases[host.dialect === 'postgres' ? 'postgresql' : 'sqlite'] = storeView(p);
    else if (p.name === 'redis') databases.redis = storeView(p);
    else if (p.name === 'storage') storage = storeView(p);
  }
  return {
    status: r.status,
    timestamp: r.timestamp,
    services: {
      chat_service: {
        status: 'healthy' as const,
        cpu_usage_percent: host.cpuPercent,
        memory_usage_mb: host.process.memoryRssMb,
        heap_used_mb: host.process.heapUsedMb,
        uptime_seconds: host.process.uptimeSeconds,
      },
      storage,
    },
    databases,
  };
}

export function dependenciesView(r: HealthReport) {
  const healthy = r.probes.filter((p) => p.status === 'healthy').length;
  return {
    status:
      r.status === 'healthy'
        ? ('healthy' as const)
        : r.status === 'degraded'
          ? ('partial_degradation' as const)
          : ('unhealthy' as const),
    timestamp: r.timestamp,
    dependencies: Object.fromEntries(
      r.probes.map((p) => [
        p.name,
        {
          status: p.status,
          last_check: r.timestamp,
          response_time_ms: p.responseTimeMs,
          ...(p.error ? { error: p.error } : {}),
          ...(p.reason ? { reason: p.reason } : {}),
        },
      ]),
    ),
    overall_health_score: r.probes.length > 0 ? Math.round((healthy / r.probes.length) * 100) / 100 : 1,
  };
}

export function performanceView(
  m: RecentStats,
  activity: { activeConversations: number; messagesProcessed: number },
  timeframe: Timeframe,
  timestamp: string,
  diskPercent: number | null,
) {
  return {
    status: 'success' as const,
    timestamp,
    timeframe,
    metrics: {
      requests_per_second: Math.round((m.requests / m.covered_seconds) * 1000) / 1000,
      average_response_time_ms: m.latency.avg_ms,
      p95_response_time_ms: m.latency.p95_ms,
      p99_response_time_ms: m.latency.p99_ms,
      error_rate_percent: m.requests > 0 ? Math.round((m.errors / m.requests) * 10_000) / 100 : 0,
      active_conversations: activity.activeConversations,
      messages_processed: activity.messagesProcessed,
      cpu_usage_average: m.cpu_percent,
      memory_usage_average: m.memory_percent,
      disk_usage_percent: diskPercent,
    },
  };
}
