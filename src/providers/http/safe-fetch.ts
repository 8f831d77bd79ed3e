import { lookup as dnsLookup } from 'node:dns/promises';
import http, { type IncomingHttpHeaders, type IncomingMessage, type RequestOptions } from 'node:http';
import https from 'node:https';
import net, { type LookupFunction } from 'node:net';
import { isAllowed, type AllowedDestination } from './allowlist.js';
import { createGuardedFetch, untilAborted, type Fetch } from './guarded-fetch.js';

/**
 * Every outbound HTTP call to a URL a tenant can influence (webhooks, callbacks, recording
 * downloads, and every vendor: CRMs, LLMs, speech-to-text, enrichment, messaging), guarded
 * against server-side request forgery: the host is resolved once, every address it resolves
 * to must be public or on the operator's allow-list, and the connection goes to exactly those
 * addresses, so a DNS answer that changes between the check and the connect (rebinding)
 * cannot slip through. Redirects are never followed.
 */

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Resolves a host name to every address it has (tests substitute answers). */
export type HostLookup = (hostname: string) => Promise<ResolvedAddress[]>;

export type RefusalReason =
  'invalid_url' | 'unsupported_scheme' | 'credentials_in_url' | 'private_address' | 'unresolvable';

/** The URL was refused before any connection was made. */
export class UrlRefusedError extends Error {
  constructor(
    readonly reason: RefusalReason,
    message: string,
  ) {
    super(message);
    this.name = 'UrlRefusedError';
  }
}

/** The refusal behind an error a client wrapped around it (an SDK's connection error keeps it as its `cause`). */
export function refusalIn(error: unknown): UrlRefusedError | undefined {
  for (let e = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (e instanceof UrlRefusedError) return e;
  }
  return undefined;
}

/** The request was made but failed on the way: connect error, reset, timeout or abort. */
export class HttpRequestError extends Error {
  constructor(
    readonly kind: 'network' | 'timeout' | 'aborted',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'HttpRequestError';
  }
}

export interface SafeHttpOptions {
  /** FRONTDESK_ALLOW_PRIVATE_URLS: let loopback and private addresses through (development and tests). */
  allowPrivate: boolean;
  /** FRONTDESK_PRIVATE_URL_ALLOWLIST: the private destinations the operator lets through. */
  allowlist?: readonly AllowedDestination[];
  lookup?: HostLookup;
}

export interface SafeHttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD';
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Covers resolving, connecting, sending and reading the response. */
  timeoutMs: number;
  /** Bytes of the response body kept; the rest is never read. */
  maxResponseBytes: number;
  signal?: AbortSignal;
}

export interface SafeHttpResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** True when the body was longer than `maxResponseBytes`. */
  truncated: boolean;
  /** True when the connection ended before the body did (short of its Content-Length, or a chunked body without its last chunk). */
  incomplete: boolean;
}

export interface SafeHttp {
  /** Checks a URL without sending anything: scheme, no credentials, and (unless private URLs are allowed) that every address of its host is public or allow-listed. */
  check(url: string): Promise<void>;
  /** What `check` refuses without asking DNS: a bad URL, an IP literal or a name like localhost that is private and not allow-listed. For saving settings, where DNS answers would be stale by the time of the call anyway. */
  screen(url: string): void;
  /** One request to the checked, pinned addresses of `url`; a 3xx is returned as it is. */
  request(url: string, init: SafeHttpRequest): Promise<SafeHttpResponse>;
  /** The same guard as a WHATWG `fetch`, for vendor SDKs and clients; refusals reject with `UrlRefusedError`. */
  fetch: Fetch;
}

const IPV4_BLOCKED: readonly [string, number][] = [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT; also Alibaba's metadata service 100.100.100.200
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local; the cloud metadata address 169.254.169.254
  ['172.16.0.0', 12],
  ['192.0.0.0', 24], // IETF protocol assignments; Oracle's metadata 192.0.0.192
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, and broadcast
  ['168.63.129.16', 32], // Azure's platform endpoint (public address, private service)
];

const IPV6_BLOCKED: readonly [string, number][] = [
  ['::', 96], // unspecified, loopback and the deprecated IPv4-compatible form
  ['::ffff:0:0:0', 96], // IPv4-translated (SIIT): a translator on the path reaches whatever IPv4 address it embeds
  ['64:ff9b:1::', 48], // local-use NAT64: translated by the operator's own gateway, to private addresses as readily as public ones
  ['100::', 64], // discard
  ['2001::', 32], // Teredo hides an IPv4 address
  ['2001:2::', 48],
  ['2001:db8::', 32],
  ['fc00::', 7], // unique local; AWS's IPv6 metadata fd00:ec2::254
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local
  ['ff00::', 8], // multicast
];

/** Prefixes that embed an IPv4 address in their low bits: NAT64 and 6to4 (IPv4-mapped is handled by BlockList itself). */
const IPV4_EMBEDDING: readonly { prefix: (hextets: string) => string; shift: number }[] = [
  { prefix: (h) => `64:ff9b::${h}`, shift: 96 },
  { prefix: (h) => `2002:${h}::`, shift: 16 },
];

const blocked = buildBlockList();

function buildBlockList(): net.BlockList {
  const list = new net.BlockList();
  for (const [address, bits] of IPV4_BLOCKED) {
    list.addSubnet(address, bits, 'ipv4');
    const [a = 0, b = 0, c = 0, d = 0] = address.split('.').map(Number);
    const hextets = `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
    for (const { prefix, shift } of IPV4_EMBEDDING) list.addSubnet(prefix(hextets), shift + bits, 'ipv6');
  }
  for (const [address, bits] of IPV6_BLOCKED) list.addSubnet(address, bits, 'ipv6');
  return list;
}

/** True for loopback, private, link-local, multicast, reserved and metadata addresses, and for anything that is not an IP address. */
export function isPrivateAddress(address: string): boolean {
  const family = net.isIP(address);
  if (family === 4) return blocked.check(address, 'ipv4');
  if (family === 6) return blocked.check(address, 'ipv6');
  return true;
}

/** Names that mean "this machine" or a metadata service whatever DNS says. */
function isPrivateName(hostname: string): boolean {
  const name = hostname.replace(/\.$/, '');
  return (
    name === 'localhost' ||
    name.endsWith('.localhost') ||
    name === 'metadata.google.internal' ||
    name === 'metadata.goog'
  );
}

const systemLookup: HostLookup = async (hostname) => {
  const found = await dnsLookup(hostname, { all: true, verbatim: true });
  return found.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
};

interface Target {
  url: URL;
  /** Without IPv6 brackets. */
  hostname: string;
  /** Empty when the host is an IP literal. */
  addresses: ResolvedAddress[];
}

function parseTarget(raw: string): Target {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UrlRefusedError('invalid_url', 'is not a valid URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new UrlRefusedError('unsupported_scheme', 'must use https or http');
  if (url.username || url.password)
    throw new UrlRefusedError('credentials_in_url', 'must not contain a user name or password');
  const hostname = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (!hostname) throw new UrlRefusedError('invalid_url', 'has no host');
  return { url, hostname, addresses: [] };
}

/** The port a connection to `url` goes to. */
function portOf(url: URL): number {
  return url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
}

/** Said with every private-address refusal, so whoever meets one learns that the operator, not a tenant, can allow it. */
const PRIVATE_HINT =
  'the server operator can allow it with FRONTDESK_ALLOW_PRIVATE_URLS=1 (development) or an entry in FRONTDESK_PRIVATE_URL_ALLOWLIST';

export function createSafeHttp(options: SafeHttpOptions): SafeHttp {
  const lookup = options.lookup ?? systemLookup;
  const allowlist = options.allowlist ?? [];
  const allowed = (target: Target, host: string): boolean =>
    options.allowPrivate || isAllowed(allowlist, host, portOf(target.url));

  /** The refusals that need no DNS; true when the host is an IP literal, which needs no resolving either. */
  const screenTarget = (target: Target): boolean => {
    if (net.isIP(target.hostname)) {
      if (isPrivateAddress(target.hostname) && !allowed(target, target.hostname))
        throw new UrlRefusedError(
          'private_address',
          `points to a private, loopback or reserved address; ${PRIVATE_HINT}`,
        );
      return true;
    }
    if (isPrivateName(target.hostname) && !allowed(target, target.hostname))
      throw new UrlRefusedError('private_address', `points to this machine; ${PRIVATE_HINT}`);
    return false;
  };

  const resolve = async (target: Target): Promise<Target> => {
    if (screenTarget(target)) return target;
    let addresses: ResolvedAddress[];
    try {
      addresses = await lookup(target.hostname);
    } catch (error) {
      throw new UrlRefusedError(
        'unresolvable',
        `host ${target.hostname} does not resolve (${error instanceof Error ? error.message : String(error)})`,
      );
    }
    if (addresses.length === 0) throw new UrlRefusedError('unresolvable', `host ${target.hostname} does not resolve`);
    // Any private answer refuses the host: a name with one public and one private address is a rebinding setup.
    // An allow-listed name vouches for its own answers; otherwise each private answer must itself be allow-listed.
    if (
      !allowed(target, target.hostname) &&
      addresses.some((a) => isPrivateAddress(a.address) && !allowed(target, a.address))
    ) {
      throw new UrlRefusedError(
        'private_address',
        `host ${target.hostname} resolves to a private, loopback or reserved address; ${PRIVATE_HINT}`,
      );
    }
    return { ...target, addresses };
  };

  return {
    async check(url) {
      const target = parseTarget(url);
      // With private URLs allowed there is nothing to refuse, and offline development must not need DNS.
      if (!options.allowPrivate) await resolve(target);
    },

    screen(url) {
      screenTarget(parseTarget(url));
    },

    async request(url, init) {
      const started = performance.now();
      const target = await beforeDeadline(resolve(parseTarget(url)), init.timeoutMs, init.signal);
      // The lookup spent part of the time the caller allowed for the whole request.
      return send(target, init, Math.max(1, init.timeoutMs - (performance.now() - started)));
    },

    fetch: createGuardedFetch(async (url) => requestOptions(await resolve(parseTarget(url)))),
  };
}

/** `work`, or a timeout or abort error as soon as the time is up or the signal fires (a DNS lookup cannot itself be cancelled). */
async function beforeDeadline<T>(work: Promise<T>, timeoutMs: number, signal: AbortSignal | undefined): Promise<T> {
  const deadline = AbortSignal.timeout(timeoutMs);
  try {
    return await untilAborted(work, signal ? AbortSignal.any([signal, deadline]) : deadline);
  } catch (err) {
    if (signal?.aborted) throw new HttpRequestError('aborted', 'request aborted');
    if (deadline.aborted)
      throw new HttpRequestError(
        'timeout',
        `no complete response within ${timeoutMs} ms (the host name did not resolve in time)`,
      );
    throw err;
  }
}

/** Where and how to connect: to the checked addresses only, on a fresh connection (a pooled socket would skip the pinned lookup). */
function requestOptions(target: Target): RequestOptions {
  const { url } = target;
  return {
    protocol: url.protocol,
    hostname: target.hostname,
    port: url.port || undefined,
    path: `${url.pathname}${url.search}`,
    agent: false,
    ...(target.addresses.length > 0 ? { lookup: pinnedLookup(target.addresses) } : {}),
  };
}

/** Answers the socket's lookup with the addresses already checked, never asking DNS again. */
function pinnedLookup(addresses: ResolvedAddress[]): LookupFunction {
  return (_hostname, opts, callback) => {
    const usable =
      opts.family === 4 || opts.family === 6 ? addresses.filter((a) => a.family === opts.family) : addresses;
    const chosen = usable.length > 0 ? usable : addresses;
    if (opts.all) {
      callback(null, chosen);
      return;
    }
    const first = chosen[0]!;
    callback(null, first.address, first.family);
  };
}

/** One request; it gives up after `remainingMs`, reported as the caller's whole `init.timeoutMs`. */
function send(target: Target, init: SafeHttpRequest, remainingMs: number): Promise<SafeHttpResponse> {
  const client = target.url.protocol === 'https:' ? https : http;
  const body =
    init.body === undefined ? undefined : Buffer.isBuffer(init.body) ? init.body : Buffer.from(init.body, 'utf8');

  return new Promise<SafeHttpResponse>((resolve, reject) => {
    let settled = false;
    const finish = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      init.signal?.removeEventListener('abort', onAbort);
      fn();
    };

    const request = client.request({
      ...requestOptions(target),
      method: init.method,
      headers: { ...init.headers, ...(body ? { 'content-length': String(body.length) } : {}) },
    });

    const fail = (error: HttpRequestError): void => {
      finish(() => reject(error));
      request.destroy();
    };
    const timer = setTimeout(
      () => fail(new HttpRequestError('timeout', `no complete response within ${init.timeoutMs} ms`)),
      remainingMs,
    );
    const onAbort = (): void => fail(new HttpRequestError('aborted', 'request aborted'));
    if (init.signal?.aborted) {
      onAbort();
      return;
    }
    init.signal?.addEventListener('abort', onAbort, { once: true });

    request.on('error', (error) =>
      finish(() => reject(new HttpRequestError('network', error.message, { cause: error }))),
    );
    request.on('response', (response) =>
      readLimited(response, init.maxResponseBytes, (result) => finish(() => resolve(result))),
    );
    request.end(body);
  });
}

/** Reads at most `limit` bytes of the body, then drops the connection instead of draining the rest. */
function readLimited(response: IncomingMessage, limit: number, done: (result: SafeHttpResponse) => void): void {
  const chunks: Buffer[] = [];
  let kept = 0;
  let truncated = false;
  // `complete` is node's own record that the body ended as framed (Content-Length reached, or the last chunk seen).
  const complete = (): void =>
    done({
      status: response.statusCode ?? 0,
      headers: response.headers,
      body: Buffer.concat(chunks),
      truncated,
      incomplete: !truncated && !response.complete,
    });
  response.on('data', (chunk: Buffer) => {
    if (truncated) return;
    const room = limit - kept;
    if (chunk.length > room) {
      chunks.push(chunk.subarray(0, room));
      kept = limit;
      truncated = true;
      complete();
      response.destroy();
      return;
    }
    chunks.push(chunk);
    kept += chunk.length;
  });
  response.on('end', complete);
  // The status line and headers arrived; a body cut short still tells us what the receiver said.
  response.on('error', complete);
  response.on('aborted', complete);
}
