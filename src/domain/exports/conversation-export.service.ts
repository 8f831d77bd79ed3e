import { newId } from '../../lib/ids.js';
import type { BlobStorage } from '../../providers/storage/storage.js';
import type { Actor } from '../actor.js';
import { conversationFacts, type ConversationActivity, type ConversationFacts } from '../analytics/index.js';
import { invalid, notFound } from '../errors.js';
import { EXPORT_TTL_MS, type DownloadLinks } from './download-links.js';
import { EXPORT_CONTENT_TYPES } from './export-files.js';
import type { ExportAudit } from './exports.service.js';

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

/** What goes into one conversation's export file. */
export interface ConversationExportContent<C> {
  exportId: string;
  exportedAt: string;
  record: C;
  /** Present when the export asked for analytics. */
  analytics: ConversationFacts | null;
  params: ConversationExportParams;
}

/** The text of a conversation export file, as the document that offers the export lays it out. */
export type ConversationExportFile<C> = (content: ConversationExportContent<C>) => string;

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

export interface ConversationExportPorts<C extends ConversationActivity> {
  clock: { now(): Date };
  storage: BlobStorage;
  audit: ExportAudit;
  links: DownloadLinks;
  conversations: {
    record(tenantId: string, id: string, range?: { from?: string; to?: string }): Promise<C>;
    /** Where the document that offers the export serves the file, below the public base URL. */
    downloadPath(file: string): string;
  };
  file: ConversationExportFile<C>;
  publicBaseUrl: string;
}

const FILE = /^(export_[0-9a-z]{26})\.(json|csv)$/;
const keyOf = (tenantId: string, file: string) => `tenants/${tenantId}/exports/conversations/${file}`;
const subject = (tenantId: string, file: string) => `${tenantId}/${file}`;

function checkParams(params: ConversationExportParams): void {
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
}

async function exportConversation<C extends ConversationActivity>(
  ports: ConversationExportPorts<C>,
  actor: Actor,
  tenantId: string,
  conversationId: string,
  params: ConversationExportParams,
): Promise<ConversationExport> {
  checkParams(params);
  const record = await ports.conversations.record(tenantId, conversationId, {
    ...(params.from ? { from: params.from } : {}),
    ...(params.to ? { to: params.to } : {}),
  });
  const now = ports.clock.now();
  const exportId = newId('export', now.getTime());
  const file = `${exportId}.${params.format}`;
  const analytics = params.includeAnalytics ? conversationFacts(record) : null;
  const body = Buffer.from(ports.file({ exportId, exportedAt: now.toISOString(), record, analytics, params }), 'utf8');
  const stored = await ports.storage.put(keyOf(tenantId, file), body, EXPORT_CONTENT_TYPES[params.format]);
  const expires = Math.floor((now.getTime() + EXPORT_TTL_MS) / 1000);
  // Exports carry what customers said out of the system, so who took which is kept.
  await ports.audit.record(actor, {
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
    signature: ports.links.sign(subject(tenantId, file), expires),
  });
  return {
    exportId,
    conversationId,
    format: params.format,
    downloadUrl: `${ports.publicBaseUrl}${ports.conversations.downloadPath(file)}?${query.toString()}`,
    expiresAt: new Date(expires * 1000).toISOString(),
    fileSizeBytes: stored.bytes,
    messageCount: record.messages.length,
  };
}

export function createConversationExportService<C extends ConversationActivity>(
  ports: ConversationExportPorts<C>,
): ConversationExportService {
  return {
    export: (actor, tenantId, conversationId, params) =>
      exportConversation(ports, actor, tenantId, conversationId, params),

    async open(tenantId, file, expires, signature) {
      ports.links.verify(
        subject(tenantId, file),
        expires,
        signature,
        'This download link has expired; export the conversation again',
      );
      const match = FILE.exec(file);
      const blob = match ? await ports.storage.get(keyOf(tenantId, file)) : undefined;
      if (!match || !blob) throw notFound('export', file);
      return { body: blob.body, contentType: blob.contentType, fileName: file };
    },
  };
}
