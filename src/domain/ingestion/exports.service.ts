import fs from 'node:fs';
import { Readable } from 'node:stream';
import path from 'node:path';
import type { BlobStorage } from '../../providers/storage/storage.js';
import type { Clock } from '../../lib/clock.js';
import { newId } from '../../lib/ids.js';
import { createLinkSigner } from '../../lib/signed-links.js';
import type { Queue } from '../../queue/queue.js';
import type { Db } from '../../store/db.js';
import { fromJson, toJson } from '../../store/json.js';
import type { Actor } from '../actor.js';
import type { AuditService } from '../audit/index.js';
import { AppError, forbidden, notFound } from '../errors.js';
import { EXPORT_CONTENT_TYPES, exportRecord, writeExportFile, type ExportFormat } from './export-files.js';
import * as repo from './requests.query.js';
import { createdRange, type IngestionRequestsService, type RequestDetail } from './requests.service.js';

export interface ExportParams {
  format: ExportFormat;
  start_date?: string;
  end_date?: string;
  include_pii: boolean;
  include_audio: boolean;
}

export type ExportStatus = 'processing' | 'completed' | 'failed';

export interface ExportRecord {
  id: string;
  tenantId: string;
  format: ExportFormat;
  status: ExportStatus;
  params: ExportParams;
  recordCount: number | null;
  fileSizeBytes: number | null;
  createdAt: string;
  completedAt: string | null;
  /** When the file and its download link stop being served. */
  expiresAt: string;
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
  /** The job: writes the file, then marks the export completed (or failed, on the last attempt). */
  build(tenantId: string, exportId: string, lastAttempt: boolean): Promise<void>;
}

/** Spec A's example answers with an `expires_at` one day after the export. */
const EXPORT_TTL_MS = 24 * 3_600_000;
const PAGE_SIZE = 200;
const POLL_MS = 100;

export interface ExportsDeps {
  db: Db;
  clock: Clock;
  queue: Queue;
  audit: AuditService;
  requests: Pick<IngestionRequestsService, 'pages'>;
  /** Files are written under `<dataDir>/exports/<tenant>/` and then kept in blob storage (`tenants/<tenant>/exports/`), which every process of a fleet reads. */
  dataDir: string;
  storage: BlobStorage;
  /** The download-link key is derived from it, so links survive restarts and work on every instance. */
  masterKey: string;
  publicBaseUrl: string;
}

function recordOf(row: repo.ExportRow): ExportRecord {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    format: row.format as ExportFormat,
    status: row.status as ExportStatus,
    params: fromJson<ExportParams>(row.params, {
      format: row.format as ExportFormat,
      include_pii: false,
      include_audio: false,
    }),
    recordCount: row.record_count,
    fileSizeBytes: row.file_size_bytes,
    createdAt: row.created_at,
    completedAt: row.completed_at,
    expiresAt: row.expires_at,
  };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function createExportsService(deps: ExportsDeps): ExportsService {
  const { db } = deps;
  const signer = createLinkSigner(deps.masterKey, 'frontdesk:export-download-links');
  const expiresOf = (record: Pick<ExportRecord, 'expiresAt'>) =>
    Math.floor(new Date(record.expiresAt).getTime() / 1000);

  const get = async (tenantId: string, exportId: string): Promise<ExportRecord> => {
    const row = await repo.findExport(db, tenantId, exportId);
    if (!row) throw notFound('export', exportId);
    return recordOf(row);
  };

  return {
    async start(actor, tenantId, params) {
      const range = createdRange(params.start_date, params.end_date);
      const now = deps.clock.now();
      const row: Omit<repo.ExportRow, 'tenant_id'> = {
        id: newId('exp', now.getTime()),
        format: params.format,
        status: 'processing',
        params: toJson(params),
        storage_key: null,
        content_type: null,
        record_count: null,
        file_size_bytes: null,
        error: null,
        created_at: now.toISOString(),
        completed_at: null,
        expires_at: new Date(now.getTime() + EXPORT_TTL_MS).toISOString(),
      };
      // The row and its job commit together: an export is never left "processing" with nothing to build it.
      const job = await db.transaction().execute(async (trx) => {
        await repo.insertExport(trx, tenantId, row);
        return deps.queue.enqueueInTransaction(
          trx,
          'export.build',
          { tenantId, exportId: row.id },
          { tenantId, dedupeKey: `export:${row.id}` },
        );
      });
      await job.dispatch();
      // Exports can carry PII out of the system, so who asked for what is kept.
      await deps.audit.record(actor, {
        tenantId,
        action: 'ingestion_requests.exported',
        targetType: 'export',
        targetId: row.id,
        after: { ...params, ...range },
      });
      return recordOf({ ...row, tenant_id: tenantId });
    },

    async settle(tenantId, exportId, timeoutMs) {
      const deadline = deps.clock.now().getTime() + timeoutMs;
      for (;;) {
        const record = await get(tenantId, exportId);
        if (record.status !== 'processing' || deps.clock.now().getTime() >= deadline) return record;
        await sleep(POLL_MS);
      }
    },

    get,

    downloadUrl(record) {
      const expires = expiresOf(record);
      return `${deps.publicBaseUrl}/v1/exports/${encodeURIComponent(record.id)}/download?expires=${expires}&signature=${signer.sign(record.id, expires)}`;
    },

    async openDownload(exportId, expires, signature) {
      const verdict = signer.check(exportId, expires, signature, deps.clock.now().getTime());
      if (verdict === 'forged') throw forbidden('Invalid download link signature');
      const gone = () => new AppError('GONE', 'This download link has expired; request a new export');
      if (verdict === 'expired') throw gone();
      const row = await repo.findExportBySignedId(db, exportId);
      if (!row || row.status !== 'completed' || row.storage_key === null) throw notFound('export', exportId);
      const blob = await deps.storage.get(row.storage_key);
      if (!blob) throw gone();
      const format = row.format as ExportFormat;
      return {
        stream: Readable.from([blob.body]),
        contentType: row.content_type ?? EXPORT_CONTENT_TYPES[format],
        fileName: `${row.id}.${format}`,
        size: blob.body.length,
      };
    },

    async build(tenantId, exportId, lastAttempt) {
      const row = await repo.findExport(db, tenantId, exportId);
      // Gone with its tenant, or finished by an earlier attempt whose acknowledgement was lost.
      if (!row || row.status !== 'processing') return;
      const { params } = recordOf(row);
      const storageKey = `tenants/${tenantId}/exports/${exportId}.${params.format}`;
      // Streamed to a local file first (xlsx and large exports are never whole in memory while
      // written), then stored; a retry starts clean and a download never sees half a file.
      const partial = path.join(deps.dataDir, 'exports', tenantId, `${exportId}.${params.format}.partial`);
      try {
        await fs.promises.mkdir(path.dirname(partial), { recursive: true });
        const options = { includePii: params.include_pii, includeAudio: params.include_audio };
        const pages = redactedPages(
          deps.requests.pages(tenantId, createdRange(params.start_date, params.end_date), PAGE_SIZE),
          options,
        );
        const count = await writeExportFile(params.format, partial, pages);
        const { bytes: size } = await deps.storage.put(
          storageKey,
          await fs.promises.readFile(partial),
          EXPORT_CONTENT_TYPES[params.format],
        );
        await fs.promises.rm(partial, { force: true });
        await repo.updateExport(db, tenantId, exportId, {
          status: 'completed',
          storage_key: storageKey,
          content_type: EXPORT_CONTENT_TYPES[params.format],
          record_count: count,
          file_size_bytes: size,
          completed_at: deps.clock.now().toISOString(),
        });
      } catch (err) {
        await fs.promises.rm(partial, { force: true });
        if (lastAttempt)
          await repo.updateExport(db, tenantId, exportId, {
            status: 'failed',
            error: err instanceof Error ? err.message : String(err),
            completed_at: deps.clock.now().toISOString(),
          });
        throw err;
      }
    },
  };
}

async function* redactedPages(
  pages: AsyncIterable<RequestDetail[]>,
  options: { includePii: boolean; includeAudio: boolean },
): AsyncGenerator<RequestDetail[]> {
  for await (const page of pages) yield page.map((r) => exportRecord(r, options));
}
