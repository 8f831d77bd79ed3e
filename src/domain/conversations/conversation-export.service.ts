import type { Clock } from '../../lib/clock.js';
import { csvLine } from '../../lib/csv.js';
import { newId } from '../../lib/ids.js';
import { createLinkSigner } from '../../lib/signed-links.js';
import type { BlobStorage } from '../../providers/storage/storage.js';
import type { Actor } from '../actor.js';
import type { AuditService } from '../audit/index.js';
import { AppError, forbidden, invalid, notFound } from '../errors.js';
import { conversationAnalytics } from './conversation-analytics.js';
import {
  messageContent,
  type ConversationQueryService,
  type ConversationRecord,
  type Message,
} from './conversation-query.service.js';

export const CONVERSATION_EXPORT_FORMATS = ['json', 'csv'] as const;
export type ConversationExportFormat = (typeof CONVERSATION_EXPORT_FORMATS)[number];

export interface ConversationExportParams {
  format: ConversationExportFormat;
  /** Adds the conversation's state, context and each message's metadata. */
  includeMetadata: boolean;
  /** Adds the conversation's analytics (JSON only: a CSV file has one row per message). */
  includeAnalytics: boolean;
  /** Inclusive ISO instants bounding the exported messages. */
  from?: string;
  to?: string;
}

export interface ConversationExport {
  exportId: string;
  conversationId: string;
  format: ConversationExportFormat;
  downloadUrl: string;
  expiresAt: string;
  fileSizeBytes: number;
  messageCount: number;
}

export interface ConversationExportService {
  /** Writes the file to storage now (one conversation is small) and answers with its signed, expiring link. */
  export(
    actor: Actor,
    tenantId: string,
    conversationId: string,
    params: ConversationExportParams,
  ): Promise<ConversationExport>;
  /** Checks a download link (403 when forged, 410 when expired) and reads the file. */
  open(
    tenantId: string,
    file: string,
    expires: string,
    signature: string,
  ): Promise<{ body: Buffer; contentType: string; fileName: string }>;
}

export interface ConversationExportDeps {
  clock: Clock;
  storage: BlobStorage;
  audit: AuditService;
  conversations: Pick<ConversationQueryService, 'record'>;
  /** The download-link key is derived from it, so links survive restarts and work on every instance. */
  masterKey: string;
  publicBaseUrl: string;
}

/** As spec A's exports: the link and the file are served for one day. */
export const CONVERSATION_EXPORT_TTL_MS = 24 * 3_600_000;
const CONTENT_TYPES: Record<ConversationExportFormat, string> = {
  json: 'application/json',
  csv: 'text/csv; charset=utf-8',
};
const FILE = /^(export_[0-9a-z]{26})\.(json|csv)$/;

const keyOf = (tenantId: string, file: string) => `tenants/${tenantId}/exports/conversations/${file}`;

function messageJson(m: Message, includeMetadata: boolean) {
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

function jsonFile(
  exportId: string,
  exportedAt: string,
  record: ConversationRecord,
  params: ConversationExportParams,
): string {
  const c = record.conversation;
  return JSON.stringify(
    {
      export_id: exportId,
      exported_at: exportedAt,
      date_range: { start: params.from ?? null, end: params.to ?? null },
      conversation: {
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
        ...(params.includeMetadata ? { state: c.state, context: c.context, session_id: c.sessionId } : {}),
      },
      messages: record.messages.map((m) => messageJson(m, params.includeMetadata)),
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
      ...(params.includeAnalytics ? { analytics: conversationAnalytics(record) } : {}),
    },
    null,
    2,
  );
}

const CSV_COLUMNS = [
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

function csvFile(record: ConversationRecord, includeMetadata: boolean): string {
  const header = csvLine(includeMetadata ? [...CSV_COLUMNS, 'metadata'] : CSV_COLUMNS);
  const rows = record.messages.map((m) => {
    const cells = [
      record.conversation.id,
      m.id,
      m.createdAt,
      m.direction,
      m.sender,
      m.contentType,
      m.text,
      m.intent,
      m.confidence,
      m.sentiment,
      m.status,
    ];
    return csvLine(includeMetadata ? [...cells, JSON.stringify(m.metadata)] : cells);
  });
  return header + rows.join('');
}

export function createConversationExportService(deps: ConversationExportDeps): ConversationExportService {
  const signer = createLinkSigner(deps.masterKey, 'frontdesk:conversation-export-links');
  const subject = (tenantId: string, file: string) => `${tenantId}/${file}`;

  return {
    async export(actor, tenantId, conversationId, params) {
      if (params.includeAnalytics && params.format !== 'json') {
        throw invalid([
          {
            field: 'include_analytics',
            issue: 'analytics can be included in a json export only (csv has one row per message)',
            type: 'invalid',
            value: true,
          },
        ]);
      }
      if (params.from && params.to && params.from > params.to)
        throw invalid([
          { field: 'date_range.end', issue: 'must not be before date_range.start', type: 'invalid', value: params.to },
        ]);
      const record = await deps.conversations.record(tenantId, conversationId, {
        ...(params.from ? { from: params.from } : {}),
        ...(params.to ? { to: params.to } : {}),
      });
      const now = deps.clock.now();
      const exportId = newId('export', now.getTime());
      const file = `${exportId}.${params.format}`;
      const body = Buffer.from(
        params.format === 'json'
          ? jsonFile(exportId, now.toISOString(), record, params)
          : csvFile(record, params.includeMetadata),
        'utf8',
      );
      const stored = await deps.storage.put(keyOf(tenantId, file), body, CONTENT_TYPES[params.format]);
      const expiresAt = new Date(now.getTime() + CONVERSATION_EXPORT_TTL_MS);
      const expires = Math.floor(expiresAt.getTime() / 1000);
      // Exports carry what customers said out of the system, so who took which is kept.
      await deps.audit.record(actor, {
        tenantId,
        action: 'conversation.exported',
        targetType: 'conversation',
        targetId: conversationId,
        after: {
          export_id: exportId,
          format: params.format,
          include_metadata: params.includeMetadata,
          include_analytics: params.includeAnalytics,
          start: params.from ?? null,
          end: params.to ?? null,
        },
      });
      const query = new URLSearchParams({
        tenant_id: tenantId,
        expires: String(expires),
        signature: signer.sign(subject(tenantId, file), expires),
      });
      return {
        exportId,
        conversationId,
        format: params.format,
        downloadUrl: `${deps.publicBaseUrl}/api/v2/conversations/exports/${file}?${query.toString()}`,
        expiresAt: new Date(expires * 1000).toISOString(),
        fileSizeBytes: stored.bytes,
        messageCount: record.messages.length,
      };
    },

    async open(tenantId, file, expires, signature) {
      const verdict = signer.check(subject(tenantId, file), expires, signature, deps.clock.now().getTime());
      if (verdict === 'forged') throw forbidden('Invalid download link signature');
      if (verdict === 'expired')
        throw new AppError('GONE', 'This download link has expired; export the conversation again');
      const match = FILE.exec(file);
      const blob = match ? await deps.storage.get(keyOf(tenantId, file)) : undefined;
      if (!match || !blob) throw notFound('export', file);
      return { body: blob.body, contentType: blob.contentType, fileName: file };
    },
  };
}
