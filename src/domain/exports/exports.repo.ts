import type { Transaction } from 'kysely';
import type { Db } from '../../store/db.js';
import { fromJson, toJson } from '../../store/json.js';
import type { ExportsTable, Tables } from '../../store/tables.js';
import type { ExportFormat } from './export-files.js';

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

/** Where a finished export's file is kept. */
export interface StoredFile {
  storageKey: string | null;
  contentType: string | null;
}

export type ExportOutcome =
  | {
      status: 'completed';
      storageKey: string;
      contentType: string;
      recordCount: number;
      fileSizeBytes: number;
      at: string;
    }
  | { status: 'failed'; error: string; at: string };

function recordOf(row: ExportsTable): ExportRecord {
  const format = row.format as ExportFormat;
  return {
    id: row.id,
    tenantId: row.tenant_id,
    format,
    status: row.status as ExportStatus,
    params: fromJson<ExportParams>(row.params, { format, include_pii: false, include_audio: false }),
    recordCount: row.record_count,
    fileSizeBytes: row.file_size_bytes,
    createdAt: row.created_at,
    completedAt: row.completed_at,
    expiresAt: row.expires_at,
  };
}

function outcomePatch(outcome: ExportOutcome): Partial<ExportsTable> {
  if (outcome.status === 'failed') return { status: 'failed', error: outcome.error, completed_at: outcome.at };
  return {
    status: 'completed',
    storage_key: outcome.storageKey,
    content_type: outcome.contentType,
    record_count: outcome.recordCount,
    file_size_bytes: outcome.fileSizeBytes,
    completed_at: outcome.at,
  };
}

export type ExportsRepo = ReturnType<typeof createExportsRepo>;

/** The exports table: one row per request export, its parameters, its outcome and where its file is. */
export function createExportsRepo(db: Db) {
  return {
    /** Inserts a processing export and runs `alongside` (its job) in the same transaction. */
    async insertWith<T>(record: ExportRecord, alongside: (trx: Transaction<Tables>) => Promise<T>): Promise<T> {
      return db.transaction().execute(async (trx) => {
        await trx
          .insertInto('exports')
          .values({
            id: record.id,
            tenant_id: record.tenantId,
            format: record.format,
            status: record.status,
            params: toJson(record.params),
            storage_key: null,
            content_type: null,
            record_count: record.recordCount,
            file_size_bytes: record.fileSizeBytes,
            error: null,
            created_at: record.createdAt,
            completed_at: record.completedAt,
            expires_at: record.expiresAt,
          })
          .execute();
        return alongside(trx);
      });
    },

    async findById(tenantId: string, id: string): Promise<ExportRecord | undefined> {
      const row = await db
        .selectFrom('exports')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .executeTakeFirst();
      return row && recordOf(row);
    },

    /**
     * The one read not scoped by tenant: a signed download link names only the export, and the
     * signature over its id is the caller's authority.
     */
    async findBySignedId(id: string): Promise<(ExportRecord & StoredFile) | undefined> {
      const row = await db.selectFrom('exports').selectAll().where('id', '=', id).executeTakeFirst();
      return row && { ...recordOf(row), storageKey: row.storage_key, contentType: row.content_type };
    },

    async recordOutcome(tenantId: string, id: string, outcome: ExportOutcome): Promise<void> {
      await db
        .updateTable('exports')
        .set(outcomePatch(outcome))
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .execute();
    },
  };
}
