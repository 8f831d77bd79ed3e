import { Readable } from 'node:stream';
import { newId } from '../../lib/ids.js';
import type { BlobStorage } from '../../providers/storage/storage.js';
import type { Queue } from '../../queue/queue.js';
import type { Actor } from '../actor.js';
import { AppError, notFound } from '../errors.js';
import { EXPORT_TTL_MS, unixSeconds, type DownloadLinks } from './download-links.js';
import { EXPORT_CONTENT_TYPES, type ExportFormat, type TableLayout } from './export-files.js';
import type { ExportParams, ExportRecord, ExportsRepo } from './exports.repo.js';

/** Records `after` of who exported what; exports can carry PII out of the system. */
export interface ExportAudit {
  record(
    actor: Actor,
    entry: { tenantId: string; action: string; targetType: string; targetId: string; after: unknown },
  ): Promise<unknown>;
}

/**
 * The records a request export writes, supplied by whoever owns them: the range a start/end pair
 * means (it throws when they are no range, and is kept in the audit log), the records in it a page
 * at a time, and the table layout the flat formats use (the document that names the columns).
 */
export interface ExportSource<T, R extends object> {
  range(start: string | undefined, end: string | undefined): R;
  pages(tenantId: string, range: R, pageSize: number): AsyncIterable<T[]>;
  layout: TableLayout<T>;
  /** Where the document that offers these exports serves one's download, below the public base URL. */
  downloadPath(exportId: string): string;
}

export interface ExportDownload {
  stream: Readable;
  contentType: string;
  fileName: string;
  size: number;
}

export interface ExportsService {
  /** Records the export and queues the job that writes its file. */
  start(actor: Actor, tenantId: string, params: ExportParams): Promise<ExportRecord>;
  /** The export once it is no longer processing, or as it is when `timeoutMs` (by the clock) runs out. */
  settle(tenantId: string, exportId: string, timeoutMs: number): Promise<ExportRecord>;
  get(tenantId: string, exportId: string): Promise<ExportRecord>;
  /** The signed link this server serves the file at, valid until the export expires. */
  downloadUrl(record: ExportRecord): string;
  /** Checks a download link (403 when forged, 410 when expired) and opens the file. */
  openDownload(exportId: string, expires: string, signature: string): Promise<ExportDownload>;
}

export interface ExportsServicePorts<T, R extends object> {
  repo: ExportsRepo;
  clock: { now(): Date };
  queue: Queue;
  audit: ExportAudit;
  storage: BlobStorage;
  links: DownloadLinks;
  source: ExportSource<T, R>;
  publicBaseUrl: string;
}

const POLL_MS = 100;
const GONE = 'This download link has expired; request a new export';
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function startExport<T, R extends object>(
  ports: ExportsServicePorts<T, R>,
  actor: Actor,
  tenantId: string,
  params: ExportParams,
): Promise<ExportRecord> {
  const range = ports.source.range(params.start_date, params.end_date);
  const now = ports.clock.now();
  const record: ExportRecord = {
    id: newId('exp', now.getTime()),
    tenantId,
    format: params.format,
    status: 'processing',
    params,
    recordCount: null,
    fileSizeBytes: null,
    createdAt: now.toISOString(),
    completedAt: null,
    expiresAt: new Date(now.getTime() + EXPORT_TTL_MS).toISOString(),
  };
  // The row and its job commit together: an export is never left "processing" with nothing to build it.
  const job = await ports.repo.insertWith(record, (trx) =>
    ports.queue.enqueueInTransaction(
      trx,
      'export.build',
      { tenantId, exportId: record.id },
      { tenantId, dedupeKey: `export:${record.id}` },
    ),
  );
  await job.dispatch();
  await ports.audit.record(actor, {
    tenantId,
    action: 'ingestion_requests.exported',
    targetType: 'export',
    targetId: record.id,
    after: { ...params, ...range },
  });
  return record;
}

export function createExportsService<T, R extends object>(ports: ExportsServicePorts<T, R>): ExportsService {
  const get = async (tenantId: string, exportId: string): Promise<ExportRecord> => {
    const record = await ports.repo.findById(tenantId, exportId);
    if (!record) throw notFound('export', exportId);
    return record;
  };

  return {
    start: (actor, tenantId, params) => startExport(ports, actor, tenantId, params),

    async settle(tenantId, exportId, timeoutMs) {
      const deadline = ports.clock.now().getTime() + timeoutMs;
      for (;;) {
        const record = await get(tenantId, exportId);
        if (record.status !== 'processing' || ports.clock.now().getTime() >= deadline) return record;
        await sleep(POLL_MS);
      }
    },

    get,

    downloadUrl(record) {
      const expires = unixSeconds(record.expiresAt);
      return `${ports.publicBaseUrl}${ports.source.downloadPath(record.id)}?expires=${expires}&signature=${ports.links.sign(record.id, expires)}`;
    },

    async openDownload(exportId, expires, signature) {
      ports.links.verify(exportId, expires, signature, GONE);
      const found = await ports.repo.findBySignedId(exportId);
      if (!found || found.status !== 'completed' || found.storageKey === null) throw notFound('export', exportId);
      const blob = await ports.storage.get(found.storageKey);
      if (!blob) throw new AppError('GONE', GONE);
      const format: ExportFormat = found.format;
      return {
        stream: Readable.from([blob.body]),
        contentType: found.contentType ?? EXPORT_CONTENT_TYPES[format],
        fileName: `${found.id}.${format}`,
        size: blob.body.length,
      };
    },
  };
}
