import type { BlobStorage } from '../../providers/storage/storage.js';
import type { Queue } from '../../queue/queue.js';
import type { Db } from '../../store/db.js';
import type { ConversationActivity } from '../analytics/index.js';
import { createConversationExportService, type ConversationExportFile } from './conversation-export.service.js';
import { createDownloadLinks } from './download-links.js';
import { buildExport } from './export-build.js';
import { createExportsRepo } from './exports.repo.js';
import { registerExportJobs } from './exports.jobs.js';
import { createExportsService, type ExportAudit, type ExportSource } from './exports.service.js';

/**
 * Exports: files of a tenant's data behind signed, expiring links. Request exports are built by
 * a job; a conversation export is written at once. What the files hold (columns, rows, the
 * conversation document) is supplied by the surfaces whose documents offer them.
 */

export interface ExportsPorts<T, R extends object, C extends ConversationActivity> {
  db: Db;
  clock: { now(): Date };
  queue: Queue;
  audit: ExportAudit;
  storage: BlobStorage;
  /** Files are written here first, under `exports/<tenant>/`. */
  dataDir: string;
  /** The download-link keys are derived from it, so links survive restarts and work on every instance. */
  masterKey: string;
  publicBaseUrl: string;
  /** The records a request export holds. */
  requests: ExportSource<T, R>;
  /** One conversation's records, and the file they make. */
  conversations: {
    record(tenantId: string, id: string, range?: { from?: string; to?: string }): Promise<C>;
    /** Where the document that offers the export serves the file, below the public base URL. */
    downloadPath(file: string): string;
    file: ConversationExportFile<C>;
  };
}

export function createExportsModule<T, R extends object, C extends ConversationActivity>(ports: ExportsPorts<T, R, C>) {
  const { clock, storage, audit, publicBaseUrl } = ports;
  const repo = createExportsRepo(ports.db);
  const build = { repo, clock, storage, source: ports.requests, dataDir: ports.dataDir };
  return {
    exports: createExportsService({
      repo,
      clock,
      queue: ports.queue,
      audit,
      storage,
      links: createDownloadLinks(ports.masterKey, 'frontdesk:export-download-links', clock),
      source: ports.requests,
      publicBaseUrl,
    }),
    conversationExports: createConversationExportService({
      clock,
      storage,
      audit,
      links: createDownloadLinks(ports.masterKey, 'frontdesk:conversation-export-links', clock),
      conversations: ports.conversations,
      file: ports.conversations.file,
      publicBaseUrl,
    }),
    registerJobs(queue: Queue): void {
      registerExportJobs(queue, (tenantId, exportId, lastAttempt) =>
        buildExport(build, tenantId, exportId, lastAttempt),
      );
    },
  };
}

export type ExportsModule = ReturnType<typeof createExportsModule>;

export {
  CONVERSATION_EXPORT_FORMATS,
  type ConversationExport,
  type ConversationExportContent,
  type ConversationExportFile,
  type ConversationExportFormat,
  type ConversationExportParams,
  type ConversationExportService,
} from './conversation-export.service.js';
export { EXPORT_TTL_MS } from './download-links.js';
export { EXPORT_FORMATS, csvText, writeExportFile, type ExportFormat, type TableLayout } from './export-files.js';
export type { ExportParams, ExportRecord, ExportStatus } from './exports.repo.js';
export type { ExportAudit, ExportDownload, ExportSource, ExportsService } from './exports.service.js';
export { REDACTED, redact, type RedactionOptions } from './redaction.js';
