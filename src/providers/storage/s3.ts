import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { StorageError, assertValidKey, assertValidPrefix } from './storage.js';
import type { BlobStorage, StoredBlob } from './storage.js';

/**
 * The scale twin of blob storage: one bucket on AWS S3 or anything that speaks its API (MinIO,
 * Cloudflare R2, Backblaze B2, Wasabi, Ceph, GCS in interoperability mode).
 */
export interface S3StorageOptions {
  /** The bucket must exist; it is never created here. */
  bucket: string;
  /** Signing region; S3-compatible stores usually accept `us-east-1` (R2 wants `auto`). */
  region: string;
  /** For S3-compatible stores (`https://minio.internal:9000`); AWS's own endpoint when omitted. */
  endpoint?: string;
  /** `bucket` in the path instead of the host name: MinIO and most self-hosted stores need it. */
  forcePathStyle?: boolean;
  /**
   * Omitted on AWS to use the SDK's default chain (instance, task or IRSA role), which is how
   * keys are best kept out of configuration there.
   */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** Prepended to every key, so several deployments can share one bucket (`frontdesk/`). */
  keyPrefix?: string;
  /** Per request. */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 30_000;
/** Object deletes in flight at once during deletePrefix. */
const DELETE_CONCURRENCY = 8;
const AUTH_ERRORS = new Set([
  'AccessDenied',
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'ExpiredToken',
  'InvalidToken',
  'AllAccessDisabled',
]);

export function createS3Storage(opts: S3StorageOptions): BlobStorage {
  const keyPrefix = normalizePrefix(opts.keyPrefix);
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const client = new S3Client({
    region: opts.region,
    ...(opts.endpoint ? { endpoint: opts.endpoint } : {}),
    forcePathStyle: opts.forcePathStyle ?? false,
    ...(opts.credentials ? { credentials: opts.credentials } : {}),
    // The queue retries the whole step with backoff; SDK retries underneath would multiply attempts.
    maxAttempts: 1,
    // Checksums only where S3 demands them: the SDK's default CRC32 headers and aws-chunked
    // uploads are refused by several S3-compatible stores, and TLS already guards the bytes.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    requestHandler: { connectionTimeout: Math.min(timeoutMs, 10_000), requestTimeout: timeoutMs },
  });
  const fullKey = (key: string): string => `${keyPrefix}${key}`;

  return {
    kind: 's3',

    async put(key, body, contentType): Promise<StoredBlob> {
      assertValidKey(key);
      await call(`write ${key}`, () =>
        client.send(
          new PutObjectCommand({
            Bucket: opts.bucket,
            Key: fullKey(key),
            Body: body,
            ContentType: contentType,
            ContentLength: body.length,
          }),
        ),
      );
      return { key, url: `s3://${opts.bucket}/${fullKey(key)}`, bytes: body.length };
    },

    async get(key) {
      assertValidKey(key);
      try {
        const res = await client.send(new GetObjectCommand({ Bucket: opts.bucket, Key: fullKey(key) }));
        const bytes = res.Body ? await res.Body.transformToByteArray() : new Uint8Array();
        return {
          body: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
          contentType: res.ContentType ?? 'application/octet-stream',
        };
      } catch (err) {
        // Without s3:ListBucket, AWS answers a missing key with 403 AccessDenied instead; grant it, or missing blobs read as auth errors.
        if (err instanceof S3ServiceException && err.name === 'NoSuchKey') return undefined;
        throw toStorageError(`read ${key}`, err);
      }
    },

    async delete(key) {
      assertValidKey(key);
      await call(`delete ${key}`, () =>
        client.send(new DeleteObjectCommand({ Bucket: opts.bucket, Key: fullKey(key) })),
      );
    },

    async deletePrefix(prefix) {
      assertValidPrefix(prefix);
      let deleted = 0;
      let token: string | undefined;
      // One DeleteObject per key rather than DeleteObjects: GCS's S3 interoperability and some
      // other compatible stores have no multi-object delete, and the volume here is modest.
      do {
        const page = await call(`list ${prefix}*`, () =>
          client.send(
            new ListObjectsV2Command({ Bucket: opts.bucket, Prefix: fullKey(prefix), ContinuationToken: token }),
          ),
        );
        const keys = (page.Contents ?? []).map((o) => o.Key).filter((k): k is string => typeof k === 'string');
        for (let i = 0; i < keys.length; i += DELETE_CONCURRENCY) {
          await Promise.all(
            keys
              .slice(i, i + DELETE_CONCURRENCY)
              .map((k) =>
                call(`delete ${k}`, () => client.send(new DeleteObjectCommand({ Bucket: opts.bucket, Key: k }))),
              ),
          );
        }
        deleted += keys.length;
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
      return deleted;
    },
  };
}

function normalizePrefix(prefix: string | undefined): string {
  if (!prefix) return '';
  assertValidPrefix(prefix);
  return prefix.endsWith('/') ? prefix : `${prefix}/`;
}

async function call<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw toStorageError(what, err);
  }
}

function toStorageError(what: string, err: unknown): StorageError {
  const detail = err instanceof Error ? err.message : String(err);
  if (err instanceof S3ServiceException) {
    const status = err.$metadata.httpStatusCode;
    const message = `S3 could not ${what}: ${err.name}${detail && detail !== err.name ? ` (${detail})` : ''}`;
    if (AUTH_ERRORS.has(err.name) || status === 401 || status === 403)
      return new StorageError('auth', message, { cause: err });
    if (err.name === 'NoSuchBucket') return new StorageError('config', message, { cause: err });
    if (status !== undefined && status >= 400 && status < 500 && status !== 408 && status !== 429)
      return new StorageError('config', message, { cause: err });
    return new StorageError('unavailable', message, { cause: err });
  }
  // No answer at all: connection refused, reset or timed out.
  return new StorageError('unavailable', `S3 could not ${what}: ${detail}`, { cause: err });
}
