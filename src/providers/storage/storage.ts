/**
 * The blob storage port: recordings, exports and other files, addressed by slash-separated keys
 * such as `tenants/{tenantId}/recordings/{id}.mp3`. The local twin keeps them under the data
 * directory, the scale twin in an S3-compatible bucket; callers never see which.
 */

export interface StoredBlob {
  key: string;
  /**
   * Where the blob lives, for records and logs rather than for handing to browsers:
   * `file:///…` for the filesystem store, `s3://bucket/key` for S3. Serving a blob goes through
   * `get()` behind the API's own auth.
   */
  url: string;
  bytes: number;
}

export interface BlobStorage {
  /** `filesystem` or `s3`, for health details and logs. */
  readonly kind: 'filesystem' | 's3';
  /** Writes (or replaces) one blob; readers see the old or the new one, never a partial write. */
  put(key: string, body: Buffer, contentType: string): Promise<StoredBlob>;
  /** The blob and its content type, or undefined when there is none under the key. */
  get(key: string): Promise<{ body: Buffer; contentType: string } | undefined>;
  /** Removes one blob; removing a missing one is not an error. */
  delete(key: string): Promise<void>;
  /** Removes every blob whose key starts with `prefix` (a tenant's files on deletion); answers how many. */
  deletePrefix(prefix: string): Promise<number>;
}

export type StorageErrorKind = 'invalid_key' | 'auth' | 'config' | 'unavailable';

export class StorageError extends Error {
  override readonly name = 'StorageError';
  /** Only an unreachable or failing store can succeed on a later try. */
  readonly retryable: boolean;

  constructor(
    readonly kind: StorageErrorKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.retryable = kind === 'unavailable';
  }
}

const MAX_KEY_LENGTH = 1024;

/**
 * Keys are relative, slash-separated and made of ordinary segments, so that no key can name a
 * file outside the store's root or an object outside its prefix, whichever backend is in use.
 * Refused: empty keys, absolute keys, backslashes, `.`/`..`/empty segments, control characters.
 */
export function assertValidKey(key: string): void {
  const problem = keyProblem(key);
  if (problem)
    throw new StorageError('invalid_key', `invalid storage key ${JSON.stringify(key.slice(0, 200))}: ${problem}`);
}

/**
 * A prefix follows the key rules, except that it may end with `/`. An empty prefix is refused:
 * nothing should be able to delete the whole store by accident.
 */
export function assertValidPrefix(prefix: string): void {
  const problem = keyProblem(prefix.endsWith('/') ? prefix.slice(0, -1) : prefix);
  if (problem)
    throw new StorageError('invalid_key', `invalid storage prefix ${JSON.stringify(prefix.slice(0, 200))}: ${problem}`);
}

function keyProblem(key: string): string | undefined {
  if (key.length === 0) return 'it is empty';
  if (key.length > MAX_KEY_LENGTH) return `it is longer than ${MAX_KEY_LENGTH} characters`;
  if (key.startsWith('/') || /^[A-Za-z]:/.test(key)) return 'it is absolute';
  if (key.includes('\\')) return 'it contains a backslash';
  // eslint-disable-next-line no-control-regex -- control characters are exactly what this refuses
  if (/[\u0000-\u001f\u007f]/.test(key)) return 'it contains a control character';
  for (const segment of key.split('/')) {
    if (segment === '') return 'it has an empty segment';
    if (segment === '.' || segment === '..') return `it has a "${segment}" segment`;
  }
  return undefined;
}
