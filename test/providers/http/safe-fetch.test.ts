import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllowedDestination } from '../../../src/providers/http/allowlist.js';
import {
  createSafeHttp,
  HttpRequestError,
  isPrivateAddress,
  UrlRefusedError,
  type HostLookup,
} from '../../../src/providers/http/safe-fetch.js';
import { startWebhookReceiver, type WebhookReceiver } from '../../fakes/webhook-receiver.fake.js';

const post = {
  method: 'POST' as const,
  body: '{"a":1}',
  headers: { 'content-type': 'application/json' },
  timeoutMs: 2_000,
  maxResponseBytes: 2_048,
};

describe('isPrivateAddress', () => {
  it.each([
    '127.0.0.1',
    '127.255.0.9',
    '0.0.0.0',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.0.1',
    '169.254.169.254',
    '100.100.100.200',
    '168.63.129.16',
    '192.0.0.192',
    '198.18.0.1',
    '224.0.0.251',
    '239.255.255.250',
    '255.255.255.255',
    '::',
    '::1',
    '::ffff:127.0.0.1',
    '::ffff:a9fe:a9fe',
    '::127.0.0.1',
    '64:ff9b::a00:1',
    '64:ff9b:1::808:808',
    '::ffff:0:a00:1',
    '::ffff:0:808:808',
    '2002:c0a8:101::1',
    '2001:0:4136:e378:8000:63bf:3fff:fdd2',
    '2001:db8::1',
    'fc00::1',
    'fd00:ec2::254',
    'fe80::1',
    'ff02::1',
    'not-an-ip',
  ])('refuses %s', (address) => {
    expect(isPrivateAddress(address)).toBe(true);
  });

  it.each([
    '93.184.216.34',
    '8.8.8.8',
    '172.32.0.1',
    '100.128.0.1',
    '2606:4700:4700::1111',
    '::ffff:8.8.8.8',
    '64:ff9b::808:808',
    '2002:808:808::1',
  ])('allows %s', (address) => {
    expect(isPrivateAddress(address)).toBe(false);
  });
});

describe('safe HTTP client', () => {
  let receiver: WebhookReceiver;
  beforeAll(async () => {
    receiver = await startWebhookReceiver();
  });
  afterAll(async () => receiver.close());

  const refusal = async (promise: Promise<unknown>): Promise<string> => {
    const error: unknown = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(UrlRefusedError);
    return (error as UrlRefusedError).reason;
  };

  it('refuses schemes other than http and https, and URLs with credentials', async () => {
    const http = createSafeHttp({ allowPrivate: true });
    expect(await refusal(http.check('ftp://example.com/x'))).toBe('unsupported_scheme');
    expect(await refusal(http.check('file:///etc/passwd'))).toBe('unsupported_scheme');
    expect(await refusal(http.check('https://u:p@example.com/'))).toBe('credentials_in_url');
    expect(await refusal(http.check('nonsense'))).toBe('invalid_url');
  });

  it('refuses a host when any of its addresses is private, and names that resolve nowhere', async () => {
    const lookup: HostLookup = (host) =>
      host === 'mixed.example.com'
        ? Promise.resolve([
            { address: '93.184.216.34', family: 4 },
            { address: '10.0.0.1', family: 4 },
          ])
        : Promise.reject(new Error('ENOTFOUND'));
    const http = createSafeHttp({ allowPrivate: false, lookup });
    expect(await refusal(http.check('https://mixed.example.com/'))).toBe('private_address');
    expect(await refusal(http.check('https://missing.example.com/'))).toBe('unresolvable');
    expect(await refusal(http.check('http://localhost/'))).toBe('private_address');
    expect(await refusal(http.request(receiver.url, post))).toBe('private_address');
    expect(receiver.requests).toHaveLength(0);
  });

  it('connects to the address it checked, never asking DNS again', async () => {
    let asked = 0;
    const lookup: HostLookup = () => {
      asked += 1;
      return Promise.resolve([{ address: '127.0.0.1', family: 4 }]);
    };
    const http = createSafeHttp({ allowPrivate: true, lookup });
    // `hooks.invalid` has no DNS entry anywhere: reaching the receiver proves the pinned answer was used.
    const response = await http.request(`http://hooks.invalid:${receiver.port}/path?q=1`, post);
    expect(response.status).toBe(200);
    expect(asked).toBe(1);
    const last = receiver.requests.at(-1)!;
    expect(last).toMatchObject({ method: 'POST', path: '/path?q=1', body: '{"a":1}' });
    expect(last.headers.host).toBe(`hooks.invalid:${receiver.port}`);
  });

  it('returns a redirect without following it', async () => {
    receiver.reply({ status: 302, headers: { location: 'http://169.254.169.254/' } });
    const response = await createSafeHttp({ allowPrivate: true }).request(receiver.url, post);
    expect(response.status).toBe(302);
    expect(response.headers.location).toBe('http://169.254.169.254/');
    receiver.reply({ status: 200, body: 'ok' });
  });

  it('keeps only the first bytes of a long answer', async () => {
    receiver.reply({ status: 500, body: 'x'.repeat(100_000) });
    const response = await createSafeHttp({ allowPrivate: true }).request(receiver.url, {
      ...post,
      maxResponseBytes: 2_048,
    });
    expect(response.status).toBe(500);
    expect(response.body).toHaveLength(2_048);
    expect(response.truncated).toBe(true);
    receiver.reply({ status: 200, body: 'ok' });
  });

  it('gives up after the timeout', async () => {
    receiver.reply({ status: 200, delayMs: 1_000 });
    const error: unknown = await createSafeHttp({ allowPrivate: true })
      .request(receiver.url, { ...post, timeoutMs: 100 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpRequestError);
    expect((error as HttpRequestError).kind).toBe('timeout');
    receiver.reply({ status: 200, body: 'ok' });
  });

  it('counts resolving the host against the timeout', async () => {
    const neverAnswers: HostLookup = () => new Promise(() => undefined);
    const error: unknown = await createSafeHttp({ allowPrivate: false, lookup: neverAnswers })
      .request('https://slow-dns.example/hook', { ...post, timeoutMs: 100 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpRequestError);
    expect((error as HttpRequestError).kind).toBe('timeout');
  });

  it('reports a refused connection as a network error', async () => {
    const closed = await startWebhookReceiver();
    const url = closed.url;
    await closed.close();
    const error: unknown = await createSafeHttp({ allowPrivate: true })
      .request(url, post)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpRequestError);
    expect((error as HttpRequestError).kind).toBe('network');
  });
});

describe('the operator allow-list and the guarded fetch', () => {
  let receiver: WebhookReceiver;
  beforeAll(async () => {
    receiver = await startWebhookReceiver();
  });
  afterAll(async () => receiver.close());

  const allow = (...entries: string[]) => entries.map((e) => parseAllowedDestination(e)!);
  const refusal = (promise: Promise<unknown>): Promise<unknown> =>
    promise.then(
      () => undefined,
      (e: unknown) => e,
    );
  const post = (signal?: AbortSignal): RequestInit => ({
    method: 'POST',
    body: '{"a":1}',
    headers: { 'content-type': 'application/json' },
    ...(signal ? { signal } : {}),
  });

  it('refuses a private address unless its host, and port when the entry names one, is allow-listed', async () => {
    const other = createSafeHttp({
      allowPrivate: false,
      allowlist: allow(`127.0.0.1:${receiver.port + 1}`, '10.0.0.5'),
    });
    expect(await refusal(other.fetch(receiver.url, post()))).toMatchObject({
      name: 'UrlRefusedError',
      reason: 'private_address',
    });
    expect(receiver.requests).toHaveLength(0);

    const listed = createSafeHttp({ allowPrivate: false, allowlist: allow(`127.0.0.1:${receiver.port}`) });
    const response = await listed.fetch(`${receiver.url}/listed?q=1`, post());
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('ok');
    expect(receiver.requests.at(-1)).toMatchObject({ method: 'POST', path: '/listed?q=1', body: '{"a":1}' });
    // Any port: the entry names the host alone.
    await expect(
      createSafeHttp({ allowPrivate: false, allowlist: allow('127.0.0.1') }).check(receiver.url),
    ).resolves.toBeUndefined();
  });

  it('lets a name through when the name is listed, or when every private address it resolves to is', async () => {
    const lookup: HostLookup = () => Promise.resolve([{ address: '127.0.0.1', family: 4 }]);
    await expect(
      createSafeHttp({ allowPrivate: false, allowlist: allow('models.internal'), lookup }).check(
        'http://models.internal:11434/',
      ),
    ).resolves.toBeUndefined();
    await expect(
      createSafeHttp({ allowPrivate: false, allowlist: allow('127.0.0.1:11434'), lookup }).check(
        'http://models.internal:11434/',
      ),
    ).resolves.toBeUndefined();
    const refused = createSafeHttp({
      allowPrivate: false,
      allowlist: allow('other.internal', '127.0.0.1:8080'),
      lookup,
    });
    expect(await refusal(refused.check('http://models.internal:11434/'))).toMatchObject({ reason: 'private_address' });
    expect(await refusal(refused.check('http://localhost:11434/'))).toMatchObject({ reason: 'private_address' });
  });

  it('screens without DNS: private literals and localhost are refused, names pass until the call', () => {
    const http = createSafeHttp({
      allowPrivate: false,
      allowlist: allow('10.0.0.5:11434'),
      lookup: () => Promise.reject(new Error('no DNS at save time')),
    });
    expect(() => http.screen('http://127.0.0.1:8080/v1')).toThrow(UrlRefusedError);
    expect(() => http.screen('http://[::ffff:169.254.169.254]/')).toThrow(UrlRefusedError);
    expect(() => http.screen('http://localhost:11434/')).toThrow(UrlRefusedError);
    expect(() => http.screen('ftp://vendor.example.com/')).toThrow(UrlRefusedError);
    expect(() => http.screen('http://10.0.0.5:11434/v1')).not.toThrow();
    expect(() => http.screen('https://crm.example.com/')).not.toThrow();
  });

  it('connects where the one DNS answer pointed, even when a second answer would differ (rebinding)', async () => {
    let asked = 0;
    // First a public address, then loopback: a client that resolved again when connecting would reach the receiver.
    const lookup: HostLookup = () =>
      Promise.resolve([{ address: asked++ === 0 ? '93.184.216.34' : '127.0.0.1', family: 4 }]);
    const http = createSafeHttp({ allowPrivate: false, lookup });
    const error = await refusal(http.fetch(`http://rebind.invalid:${receiver.port}/`, post(AbortSignal.timeout(300))));
    expect(error).toBeInstanceOf(Error);
    expect(asked).toBe(1);
    expect(receiver.requests.filter((r) => r.path === '/')).toHaveLength(0);
  });

  it("lets the caller's signal end a fetch whose host is still resolving", async () => {
    const http = createSafeHttp({ allowPrivate: false, lookup: () => new Promise(() => undefined) });
    const error: unknown = await http
      .fetch('https://slow-dns.example/v1/chat', post(AbortSignal.timeout(100)))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DOMException);
    expect((error as DOMException).name).toBe('TimeoutError');
  });

  it('returns a redirect without following it, and a timeout as the signal says', async () => {
    const http = createSafeHttp({ allowPrivate: true });
    receiver.reply({ status: 302, headers: { location: 'http://169.254.169.254/' } });
    const redirect = await http.fetch(receiver.url, post());
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get('location')).toBe('http://169.254.169.254/');
    receiver.reply({ status: 200, delayMs: 1_000 });
    expect(await refusal(http.fetch(receiver.url, post(AbortSignal.timeout(100))))).toMatchObject({
      name: 'TimeoutError',
    });
    receiver.reply({ status: 200, body: 'ok' });
  });
});
