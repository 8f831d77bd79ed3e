/**
 * Errors that say the disk under the database or the data directory will not take writes (full,
 * read-only, failing) rather than that the request is wrong: the same request can succeed once an
 * operator frees space or the database is writable again, so callers answer 503 and readiness fails.
 */
export interface WriteRefusal {
  /** Which dependency refused. */
  where: 'database' | 'storage';
  /** Short and stable, for readiness bodies: `read-only (SQLITE_READONLY)`, `disk full (ENOSPC)`. */
  reason: string;
  /** Plain words for clients; never the driver's text. */
  message: string;
}

/** How long clients are asked to wait: an operator has to act, so seconds of backoff are too few. */
export const WRITE_REFUSAL_RETRY_AFTER_SECONDS = 30;

const DB_READ_ONLY = 'The database is read-only; try again later';
const DB_FULL = 'The database is out of disk space; try again later';

// PostgreSQL SQLSTATEs: 53100 disk_full, 25006 read_only_sql_transaction (a standby or
// default_transaction_read_only), 57P01 admin_shutdown, 57P03 cannot_connect_now (starting or failing over).
const POSTGRES: Record<string, { reason: string; message: string }> = {
  '53100': { reason: 'disk full', message: DB_FULL },
  '25006': { reason: 'read-only', message: DB_READ_ONLY },
  '57P01': { reason: 'shutting down', message: 'The database is shutting down; try again later' },
  '57P03': {
    reason: 'not accepting connections',
    message: 'The database is not accepting connections yet; try again later',
  },
};

const FILESYSTEM: Record<string, { reason: string; message: string }> = {
  ENOSPC: { reason: 'disk full', message: 'Storage is full; try again later' },
  EDQUOT: { reason: 'quota exhausted', message: 'The storage quota is exhausted; try again later' },
  EROFS: { reason: 'read-only', message: 'Storage is read-only; try again later' },
};

/**
 * The refusal `error` stands for, or undefined when it is some other failure. Adapters wrap file
 * errors (blob storage's StorageError keeps the ENOSPC as its cause), so causes are followed too.
 */
export function writeRefusalOf(error: unknown): WriteRefusal | undefined {
  for (
    let e = error, depth = 0;
    e !== null && typeof e === 'object' && depth < 5;
    e = (e as { cause?: unknown }).cause, depth += 1
  ) {
    const refusal = refusalOfCode((e as { code?: unknown }).code);
    if (refusal) return refusal;
  }
  return undefined;
}

function refusalOfCode(code: unknown): WriteRefusal | undefined {
  if (typeof code !== 'string') return undefined;
  const known = POSTGRES[code];
  if (known) return { where: 'database', reason: `${known.reason} (${code})`, message: known.message };
  // better-sqlite3 reports extended codes (SQLITE_READONLY_DBMOVED, SQLITE_IOERR_WRITE, …).
  if (code === 'SQLITE_FULL') return { where: 'database', reason: `disk full (${code})`, message: DB_FULL };
  if (code.startsWith('SQLITE_READONLY'))
    return { where: 'database', reason: `read-only (${code})`, message: DB_READ_ONLY };
  if (code.startsWith('SQLITE_IOERR'))
    return {
      where: 'database',
      reason: `disk I/O error (${code})`,
      message: 'The database cannot write to its disk; try again later',
    };
  const fs = FILESYSTEM[code];
  if (fs) return { where: 'storage', reason: `${fs.reason} (${code})`, message: fs.message };
  return undefined;
}
