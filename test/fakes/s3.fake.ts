import { createHash, createHmac } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { startFakeServer, type Answer, type FakeRequest } from './fake-server.js';

/**
 * A path-style S3 endpoint on 127.0.0.1 for one bucket: PutObject, GetObject, HeadObject,
 * DeleteObject and ListObjectsV2, answering with S3's XML bodies and error documents
 * (`NoSuchKey`, `NoSuchBucket`, `AccessDenied`, `InvalidAccessKeyId`, `SignatureDoesNotMatch`).
 * Every request must carry a SigV4 `Authorization: AWS4-HMAC-SHA256 …` header, and the
 * signature is checked against the fake's secret, so a client that signs wrongly fails here as
 * it would against S3. Aws-chunked uploads are refused, like several S3-compatible stores do.
 */

export interface S3FakeOptions {
  bucket?: string;
  region?: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  /** ListObjectsV2 page size cap, to exercise continuation tokens. */
  pageSize?: number;
}

export interface StoredObject {
  body: Buffer;
  contentType: string;
  etag: string;
  lastModified: Date;
}

export interface S3RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
}

export interface S3Fake {
  /** `http://127.0.0.1:<port>`, the client's `endpoint`. */
  url: string;
  bucket: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  objects: Map<string, StoredObject>;
  requests: S3RecordedRequest[];
  /** The next request answers this S3 error instead (e.g. 503 SlowDown). */
  failNext(status: number, code: string, message: string): void;
  close(): Promise<void>;
}

export async function startS3Fake(opts: S3FakeOptions = {}): Promise<S3Fake> {
  const bucket = opts.bucket ?? 'frontdesk-test';
  const region = opts.region ?? 'us-east-1';
  const credentials = {
    accessKeyId: opts.accessKeyId ?? 'AKIDFAKEEXAMPLE',
    secretAccessKey: opts.secretAccessKey ?? 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  };
  const pageSize = opts.pageSize ?? 1000;
  const objects = new Map<string, StoredObject>();

  function serve(req: FakeRequest): Answer {
    const query = parseQuery(req.url.slice(req.path.length + 1));
    const [, bucketName = '', ...rest] = req.path.split('/');
    const key = decodeURIComponent(rest.join('/'));
    if (decodeURIComponent(bucketName) !== bucket)
      return s3Error(404, 'NoSuchBucket', 'The specified bucket does not exist', {
        BucketName: decodeURIComponent(bucketName),
      });

    if (!key) {
      if (req.method === 'GET' && query.get('list-type') === '2') return listObjects(query);
      return s3Error(501, 'NotImplemented', 'A header you provided implies functionality that is not implemented');
    }
    switch (req.method) {
      case 'PUT': {
        if (req.headers['content-encoding']?.includes('aws-chunked'))
          return s3Error(501, 'NotImplemented', 'Transfer encoding aws-chunked is not implemented');
        const etag = `"${createHash('md5').update(req.raw).digest('hex')}"`;
        objects.set(key, {
          body: req.raw,
          contentType: req.headers['content-type'] ?? 'binary/octet-stream',
          etag,
          lastModified: new Date(),
        });
        return { status: 200, headers: { etag, 'x-amz-request-id': requestId() } };
      }
      case 'GET':
      case 'HEAD': {
        const found = objects.get(key);
        if (!found) {
          if (req.method === 'HEAD') return { status: 404, headers: { 'x-amz-request-id': requestId() } };
          return s3Error(404, 'NoSuchKey', 'The specified key does not exist.', { Key: key });
        }
        return {
          status: 200,
          headers: {
            'content-type': found.contentType,
            'content-length': String(found.body.length),
            etag: found.etag,
            'last-modified': found.lastModified.toUTCString(),
            'accept-ranges': 'bytes',
            'x-amz-request-id': requestId(),
          },
          body: req.method === 'GET' ? found.body : undefined,
        };
      }
      default:
        objects.delete(key);
        return { status: 204, headers: { 'x-amz-request-id': requestId() } };
    }
  }

  function listObjects(query: Map<string, string>): Answer {
    const prefix = query.get('prefix') ?? '';
    const maxKeys = Math.min(Number(query.get('max-keys') ?? 1000), pageSize);
    const token = query.get('continuation-token');
    const after = token ? Buffer.from(token, 'base64').toString('utf8') : (query.get('start-after') ?? '');
    const urlEncoded = query.get('encoding-type') === 'url';
    const matching = [...objects.keys()].filter((k) => k.startsWith(prefix) && k > after).sort();
    const page = matching.slice(0, maxKeys);
    const truncated = matching.length > page.length;
    const encode = (k: string): string => xml(urlEncoded ? encodeURIComponent(k).replace(/%2F/g, '/') : k);
    const contents = page
      .map((k) => {
        const o = objects.get(k)!;
        return `<Contents><Key>${encode(k)}</Key><LastModified>${o.lastModified.toISOString()}</LastModified><ETag>${xml(o.etag)}</ETag><Size>${o.body.length}</Size><StorageClass>STANDARD</StorageClass></Contents>`;
      })
      .join('');
    const next = truncated
      ? `<NextContinuationToken>${Buffer.from(page[page.length - 1]!, 'utf8').toString('base64')}</NextContinuationToken>`
      : '';
    const echoed = token ? `<ContinuationToken>${xml(token)}</ContinuationToken>` : '';
    return {
      status: 200,
      headers: { 'content-type': 'application/xml', 'x-amz-request-id': requestId() },
      body: `<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>${xml(bucket)}</Name><Prefix>${encode(prefix)}</Prefix>${echoed}${next}<KeyCount>${page.length}</KeyCount><MaxKeys>${maxKeys}</MaxKeys>${urlEncoded ? '<EncodingType>url</EncodingType>' : ''}<IsTruncated>${truncated}</IsTruncated>${contents}</ListBucketResult>`,
    };
  }

  const server = await startFakeServer<S3RecordedRequest>({
    // Every path is a bucket or an object; what S3 serves depends on the method.
    routes: ['PUT', 'GET', 'HEAD', 'DELETE'].map((method) => ({ method, path: /^\//, handle: serve })),
    // Every path is routed, so only a method S3 does not serve on objects ends up here.
    error: () => s3Error(405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.'),
    guard(req) {
      const authError = checkSignature(req, credentials, region);
      return authError ? s3Error(authError.status, authError.code, authError.message) : undefined;
    },
    record: (req) => ({
      method: req.method,
      path: decodeURIComponent(req.path),
      query: Object.fromEntries(parseQuery(req.url.slice(req.path.length + 1))),
      headers: req.headers,
    }),
  });
  return {
    url: server.url,
    bucket,
    region,
    credentials,
    objects,
    requests: server.requests,
    failNext(status, code, message) {
      server.replyNext(s3Error(status, code, message));
    },
    close: server.close,
  };
}

const AUTH_HEADER =
  /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/s3\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/;

/** SigV4 as S3 checks it: canonical request from the raw path, sorted query and signed headers, payload hash from the header. */
function checkSignature(
  req: FakeRequest,
  credentials: { accessKeyId: string; secretAccessKey: string },
  region: string,
): { status: number; code: string; message: string } | undefined {
  const query = parseQuery(req.url.slice(req.path.length + 1));
  const header = req.headers.authorization;
  if (!header) return { status: 403, code: 'AccessDenied', message: 'Access Denied' };
  const match = AUTH_HEADER.exec(header);
  if (!match)
    return { status: 400, code: 'AuthorizationHeaderMalformed', message: 'The authorization header is malformed.' };
  const [, accessKeyId, date, scopeRegion, signedHeaders, signature] = match as unknown as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  if (accessKeyId !== credentials.accessKeyId)
    return {
      status: 403,
      code: 'InvalidAccessKeyId',
      message: 'The AWS Access Key Id you provided does not exist in our records.',
    };
  if (scopeRegion !== region)
    return {
      status: 400,
      code: 'AuthorizationHeaderMalformed',
      message: `The authorization header is malformed; the region '${scopeRegion}' is wrong; expecting '${region}'`,
    };
  const amzDate = req.headers['x-amz-date'];
  const payloadHash = req.headers['x-amz-content-sha256'];
  if (typeof amzDate !== 'string' || typeof payloadHash !== 'string')
    return {
      status: 400,
      code: 'InvalidRequest',
      message: 'Missing required header for this request: x-amz-content-sha256',
    };
  if (
    payloadHash !== 'UNSIGNED-PAYLOAD' &&
    !payloadHash.startsWith('STREAMING-') &&
    payloadHash !== createHash('sha256').update(req.raw).digest('hex')
  ) {
    return {
      status: 400,
      code: 'XAmzContentSHA256Mismatch',
      message: "The provided 'x-amz-content-sha256' header does not match what was computed.",
    };
  }

  const canonicalQuery = [...query.entries()]
    .filter(([k]) => k !== 'X-Amz-Signature')
    .map(([k, v]) => [rfc3986(k), rfc3986(v)] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const canonicalHeaders = signedHeaders
    .split(';')
    .map((name) => {
      const value = req.headers[name];
      return `${name}:${(Array.isArray(value) ? value.join(',') : (value ?? '')).trim().replace(/\s+/g, ' ')}\n`;
    })
    .join('');
  const canonicalRequest = [req.method, req.path, canonicalQuery, canonicalHeaders, signedHeaders, payloadHash].join(
    '\n',
  );
  const scope = `${date}/${scopeRegion}/s3/aws4_request`;
  const stringToSign = [
    'AWS4-HMAC-SHA256',
    amzDate,
    scope,
    createHash('sha256').update(canonicalRequest).digest('hex'),
  ].join('\n');
  let key: Buffer = createHmac('sha256', `AWS4${credentials.secretAccessKey}`).update(date).digest();
  for (const part of [scopeRegion, 's3', 'aws4_request']) key = createHmac('sha256', key).update(part).digest();
  const expected = createHmac('sha256', key).update(stringToSign).digest('hex');
  if (expected !== signature)
    return {
      status: 403,
      code: 'SignatureDoesNotMatch',
      message:
        'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
    };
  return undefined;
}

function parseQuery(raw: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of raw.split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    out.set(
      decodeURIComponent(eq === -1 ? part : part.slice(0, eq)),
      eq === -1 ? '' : decodeURIComponent(part.slice(eq + 1)),
    );
  }
  return out;
}

function rfc3986(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function s3Error(status: number, code: string, message: string, extra: Record<string, string> = {}): Answer {
  const id = requestId();
  const fields = Object.entries(extra)
    .map(([k, v]) => `<${k}>${xml(v)}</${k}>`)
    .join('');
  return {
    status,
    headers: { 'content-type': 'application/xml', 'x-amz-request-id': id },
    body: `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${xml(message)}</Message>${fields}<RequestId>${id}</RequestId><HostId>fake-host-id</HostId></Error>`,
  };
}

function requestId(): string {
  return createHash('sha1').update(`${Date.now()}${Math.random()}`).digest('hex').slice(0, 16).toUpperCase();
}

function xml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}
