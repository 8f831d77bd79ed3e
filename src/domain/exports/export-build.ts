import fs from 'node:fs';
import path from 'node:path';
import type { BlobStorage } from '../../providers/storage/storage.js';
import { EXPORT_CONTENT_TYPES, writeExportFile } from './export-files.js';
import type { ExportsRepo } from './exports.repo.js';
import type { ExportSource } from './exports.service.js';
import { redact, type RedactionOptions } from './redaction.js';

const PAGE_SIZE = 200;

export interface ExportBuildPorts<T, R extends object> {
  repo: ExportsRepo;
  clock: { now(): Date };
  storage: BlobStorage;
  source: ExportSource<T, R>;
  /** Files are written under `<dataDir>/exports/<tenant>/` and then kept in blob storage (`tenants/<tenant>/exports/`), which every process of a fleet reads. */
  dataDir: string;
}

async function* redactedPages<T>(pages: AsyncIterable<T[]>, options: RedactionOptions): AsyncGenerator<T[]> {
  for await (const page of pages) yield page.map((r) => redact(r, options));
}

/** The job: writes the export's file, then marks the export completed (or failed, on the last attempt). */
export async function buildExport<T, R extends object>(
  ports: ExportBuildPorts<T, R>,
  tenantId: string,
  exportId: string,
  lastAttempt: boolean,
): Promise<void> {
  const record = await ports.repo.findById(tenantId, exportId);
  // Gone with its tenant, or finished by an earlier attempt whose acknowledgement was lost.
  if (!record || record.status !== 'processing') return;
  const { params } = record;
  const storageKey = `tenants/${tenantId}/exports/${exportId}.${params.format}`;
  // Streamed to a local file first (xlsx and large exports are never whole in memory while
  // written), then stored; a retry starts clean and a download never sees half a file.
  const partial = path.join(ports.dataDir, 'exports', tenantId, `${exportId}.${params.format}.partial`);
  try {
    await fs.promises.mkdir(path.dirname(partial), { recursive: true });
    const options = { includePii: params.include_pii, includeAudio: params.include_audio };
    const range = ports.source.range(params.start_date, params.end_date);
    const pages = redactedPages(ports.source.pages(tenantId, range, PAGE_SIZE), options);
    const count = await writeExportFile(params.format, partial, pages, ports.source.layout);
    const contentType = EXPORT_CONTENT_TYPES[params.format];
    const { bytes } = await ports.storage.put(storageKey, await fs.promises.readFile(partial), contentType);
    await fs.promises.rm(partial, { force: true });
    await ports.repo.recordOutcome(tenantId, exportId, {
      status: 'completed',
      storageKey,
      contentType,
      recordCount: count,
      fileSizeBytes: bytes,
      at: ports.clock.now().toISOString(),
    });
  } catch (err) {
    await fs.promises.rm(partial, { force: true });
    if (lastAttempt)
      await ports.repo.recordOutcome(tenantId, exportId, {
        status: 'failed',
        error: err instanceof Error ? err.message : String(err),
        at: ports.clock.now().toISOString(),
      });
    throw err;
  }
}
