import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createS3Storage } from '../../../src/providers/storage/s3.js';
import type { S3StorageOptions } from '../../../src/providers/storage/s3.js';
import type { BlobStorage } from '../../../src/providers/storage/storage.js';
import { startS3Fake } from '../../fakes/s3.fake.js';
import type { S3Fake } from '../../fakes/s3.fake.js';
import { blobStorageContract } from './blob-storage.contract.js';

let fake: S3Fake;
beforeEach(async () => {
  // Two keys a page, so deletePrefix has to follow continuation tokens.
  fake = await startS3Fake({ pageSize: 2 });
});
afterEach(async () => {
  await fake.close();
});

const storage = (opts: Partial<S3StorageOptions> = {}): BlobStorage =>
  createS3Storage({
    bucket: fake.bucket,
    region: fake.region,
    endpoint: fake.url,
    forcePathStyle: true,
    credentials: fake.credentials,
    timeoutMs: 5_000,
    ...opts,
  });

blobStorageContract('S3 storage', () => storage());

describe('S3 blob storage', () => {
  it('puts path-style with a SigV4 signature the server verifies, and names the object with an s3:// URL', async () => {
    const stored = await storage().put('tenants/t1/recordings/rec 1.mp3', Buffer.from('ID3 audio'), 'audio/mpeg');

    expect(stored).toEqual({
      key: 'tenants/t1/recordings/rec 1.mp3',
      url: `s3://${fake.bucket}/tenants/t1/recordings/rec 1.mp3`,
      bytes: 9,
    });
    const put = fake.requests.find((r) => r.method === 'PUT');
    expect(put?.path).toBe(`/${fake.bucket}/tenants/t1/recordings/rec 1.mp3`);
    expect(put?.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDFAKEEXAMPLE\/\d{8}\/us-east-1\/s3\/aws4_request, ?SignedHeaders=.*, ?Signature=[0-9a-f]{64}$/,
    );
    expect(fake.objects.get('tenants/t1/recordings/rec 1.mp3')?.contentType).toBe('audio/mpeg');
  });

  it('sends a plain body without the checksum headers or aws-chunked encoding some S3-compatible stores refuse', async () => {
    await storage().put('tenants/t1/a.txt', Buffer.from('hello'), 'text/plain');

    const put = fake.requests.find((r) => r.method === 'PUT');
    expect(put?.headers['content-encoding']).toBeUndefined();
    expect(
      Object.keys(put?.headers ?? {}).filter(
        (h) => h.startsWith('x-amz-checksum-') || h === 'x-amz-sdk-checksum-algorithm',
      ),
    ).toEqual([]);
  });

  it('lists page by page with continuation tokens when deleting a prefix', async () => {
    const s3 = storage();
    for (let i = 0; i < 5; i++) await s3.put(`tenants/t1/recordings/r${i}.mp3`, Buffer.from('x'), 'audio/mpeg');

    expect(await s3.deletePrefix('tenants/t1/')).toBe(5);
    expect(fake.objects.size).toBe(0);
    const lists = fake.requests.filter((r) => r.query['list-type'] === '2');
    expect(lists).toHaveLength(3);
    expect(lists[1]?.query['continuation-token']).toBeTruthy();
  });

  it('keeps every key under the configured key prefix', async () => {
    const s3 = storage({ keyPrefix: 'frontdesk' });
    await s3.put('tenants/t1/a.txt', Buffer.from('a'), 'text/plain');

    expect([...fake.objects.keys()]).toEqual(['frontdesk/tenants/t1/a.txt']);
    expect(await s3.get('tenants/t1/a.txt')).toEqual({ body: Buffer.from('a'), contentType: 'text/plain' });
    expect(await s3.deletePrefix('tenants/')).toBe(1);
  });

  it('reports a wrong secret key as a non-retryable auth error with S3 code', async () => {
    const s3 = storage({
      credentials: { accessKeyId: fake.credentials.accessKeyId, secretAccessKey: 'not-the-secret' },
    });

    await expect(s3.put('tenants/t1/a.txt', Buffer.from('a'), 'text/plain')).rejects.toMatchObject({
      kind: 'auth',
      retryable: false,
      message: expect.stringContaining('SignatureDoesNotMatch'),
    });
    expect(fake.objects.size).toBe(0);
  });

  it('reports an unknown access key and a missing bucket as configuration problems, not retryable', async () => {
    await expect(
      storage({ credentials: { accessKeyId: 'AKIDUNKNOWN', secretAccessKey: 'x' } }).get('tenants/t1/a.txt'),
    ).rejects.toMatchObject({ kind: 'auth', message: expect.stringContaining('InvalidAccessKeyId') });
    await expect(
      storage({ bucket: 'no-such-bucket' }).put('tenants/t1/a.txt', Buffer.from('a'), 'text/plain'),
    ).rejects.toMatchObject({ kind: 'config', retryable: false, message: expect.stringContaining('NoSuchBucket') });
  });

  it('reports 503 SlowDown as retryable, without retrying inside the SDK', async () => {
    fake.failNext(503, 'SlowDown', 'Please reduce your request rate.');

    await expect(storage().put('tenants/t1/a.txt', Buffer.from('a'), 'text/plain')).rejects.toMatchObject({
      kind: 'unavailable',
      retryable: true,
      message: expect.stringContaining('SlowDown'),
    });
    expect(fake.requests).toHaveLength(1);
  });

  it('reports an endpoint that refuses connections as unavailable', async () => {
    const url = fake.url;
    await fake.close();
    fake = await startS3Fake();

    await expect(storage({ endpoint: url }).get('tenants/t1/a.txt')).rejects.toMatchObject({
      kind: 'unavailable',
      retryable: true,
    });
  });
});
