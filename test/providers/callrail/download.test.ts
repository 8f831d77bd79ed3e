import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { downloadRecording, RecordingDownloadError } from '../../../src/providers/callrail/download.js';
import type { DownloadOptions } from '../../../src/providers/callrail/download.js';
import { createSafeHttp } from '../../../src/providers/http/safe-fetch.js';
import type { SafeHttp } from '../../../src/providers/http/safe-fetch.js';
import { startCallRailFake } from '../../fakes/callrail.fake.js';
import type { CallRailFake } from '../../fakes/callrail.fake.js';
import { startWebhookReceiver } from '../../fakes/webhook-receiver.fake.js';
import type { WebhookReceiver } from '../../fakes/webhook-receiver.fake.js';

describe('downloadRecording', () => {
  let fake: CallRailFake;
  let other: WebhookReceiver;
  beforeEach(async () => {
    fake = await startCallRailFake();
    other = await startWebhookReceiver();
  });
  afterEach(async () => {
    await fake.close();
    await other.close();
  });
  const options = (opts: Partial<DownloadOptions> = {}): DownloadOptions => ({
    maxBytes: 1_000_000,
    timeoutMs: 2_000,
    http: createSafeHttp({ allowPrivate: true }),
    ...opts,
  });

  it('downloads the audio with its content type and size', async () => {
    const audio = randomBytes(50_000);
    fake.setRecording('CAL1', audio);

    const got = await downloadRecording(`${fake.url}/audio/CAL1.mp3?X-Amz-Signature=fake`, options());

    expect(got.bytes).toBe(50_000);
    expect(got.contentType).toBe('audio/mpeg');
    expect(got.body.equals(audio)).toBe(true);
  });

  it("follows CallRail's recording redirect to the audio", async () => {
    fake.setRecording('766970532', Buffer.from('ID3 voicemail'), { contentType: 'audio/mpeg; charset=binary' });

    const got = await downloadRecording(
      `${fake.url}/calls/766970532/recording/redirect?access_key=aaaaccccddddeeee`,
      options(),
    );

    expect(got).toEqual({ body: Buffer.from('ID3 voicemail'), contentType: 'audio/mpeg', bytes: 13 });
    expect(fake.requests.map((r) => r.path)).toEqual(['/calls/766970532/recording/redirect', '/audio/766970532.mp3']);
  });

  it('sends its headers to the first origin only, never to the host a redirect leads to', async () => {
    fake.setRecording('CAL1', Buffer.from('ID3'));
    other.reply({ status: 302, headers: { location: `${fake.url}/audio/CAL1.mp3` } });

    await downloadRecording(`${other.url}/recording`, options({ headers: { authorization: 'Token token="secret"' } }));

    expect(other.requests[0]?.headers.authorization).toBe('Token token="secret"');
    expect(fake.requests[0]?.headers.authorization).toBeUndefined();
  });

  it('accepts a file of exactly maxBytes and aborts one byte more with too_large', async () => {
    fake.setRecording('exact', randomBytes(10_000));
    fake.setRecording('big', randomBytes(10_001));

    expect((await downloadRecording(`${fake.url}/audio/exact.mp3`, options({ maxBytes: 10_000 }))).bytes).toBe(10_000);
    const err = await downloadRecording(`${fake.url}/audio/big.mp3`, options({ maxBytes: 10_000 })).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(RecordingDownloadError);
    expect(err).toMatchObject({
      kind: 'too_large',
      retryable: false,
      message: 'recording is larger than the 10000-byte limit',
    });
  });

  it('gives up on a download that stalls mid-body after the time cap, as retryable', async () => {
    fake.setRecording('slow', randomBytes(100_000), { stall: true });
    const started = Date.now();

    await expect(downloadRecording(`${fake.url}/audio/slow.mp3`, options({ timeoutMs: 300 }))).rejects.toMatchObject({
      kind: 'timeout',
      retryable: true,
    });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('refuses a private address when SafeHttp does not allow private URLs, without connecting', async () => {
    fake.setRecording('CAL1', Buffer.from('ID3'));

    await expect(
      downloadRecording(`${fake.url}/audio/CAL1.mp3`, options({ http: createSafeHttp({ allowPrivate: false }) })),
    ).rejects.toMatchObject({
      kind: 'refused',
      retryable: false,
      message: expect.stringContaining('private_address'),
    });
    expect(fake.requests).toHaveLength(0);
  });

  it('checks every redirect hop, refusing one that leads from a public host to the metadata address', async () => {
    // The first hop stands in for a public CDN (a loopback fake cannot pass the guard); the second goes through the real guard.
    const guarded = createSafeHttp({ allowPrivate: false });
    const http: SafeHttp = {
      ...guarded,
      request: (url, init) =>
        url === 'https://cdn.example.com/rec.mp3'
          ? Promise.resolve({
              status: 302,
              headers: { location: 'http://169.254.169.254/latest/meta-data/' },
              body: Buffer.alloc(0),
              truncated: false,
              incomplete: false,
            })
          : guarded.request(url, init),
    };

    await expect(downloadRecording('https://cdn.example.com/rec.mp3', options({ http }))).rejects.toMatchObject({
      kind: 'refused',
      message: expect.stringContaining('private_address'),
    });
  });

  it('reports 404 as final and 503 as retryable', async () => {
    await expect(downloadRecording(`${fake.url}/audio/missing.mp3`, options())).rejects.toMatchObject({
      kind: 'http',
      status: 404,
      retryable: false,
    });
    other.reply({ status: 503, body: 'busy' });
    await expect(downloadRecording(`${other.url}/rec.mp3`, options())).rejects.toMatchObject({
      kind: 'http',
      status: 503,
      retryable: true,
    });
  });

  it('stops after maxRedirects hops', async () => {
    other.reply({ status: 302, headers: { location: '/again' } });

    await expect(downloadRecording(`${other.url}/start`, options({ maxRedirects: 2 }))).rejects.toMatchObject({
      kind: 'too_many_redirects',
    });
    expect(other.requests).toHaveLength(3);
  });

  it('refuses an empty body', async () => {
    other.reply({ status: 200, body: '' });
    await expect(downloadRecording(`${other.url}/rec.mp3`, options())).rejects.toMatchObject({ kind: 'empty' });
  });

  it('fails, as retryable, a body the server cut short of its Content-Length or its last chunk', async () => {
    const fixedLength = `HTTP/1.1 200 OK\r\ncontent-type: audio/mpeg\r\ncontent-length: 1000\r\n\r\n${'x'.repeat(500)}`;
    const chunked = `HTTP/1.1 200 OK\r\ncontent-type: audio/mpeg\r\ntransfer-encoding: chunked\r\n\r\n1f4\r\n${'x'.repeat(500)}\r\n`;
    for (const [answer, message] of [
      [fixedLength, 'recording download ended after 500 of 1000 bytes'],
      [chunked, 'recording download ended after 500 bytes'],
    ] as const) {
      const server = await cuttingServer(answer);
      const error = await downloadRecording(`http://127.0.0.1:${server.port}/rec.mp3`, options()).catch(
        (e: unknown) => e,
      );
      await server.close();
      expect(error).toBeInstanceOf(RecordingDownloadError);
      expect(error).toMatchObject({ kind: 'network', retryable: true, message });
    }
  });
});

/** A server that writes `answer` raw and closes the connection, whatever the answer's framing promised. */
async function cuttingServer(answer: string): Promise<{ port: number; close(): Promise<void> }> {
  const server = net.createServer((socket) => {
    socket.once('data', () => socket.end(answer));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return { port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
