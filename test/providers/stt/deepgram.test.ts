import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DeepgramProvider } from '../../../src/providers/stt/deepgram.js';
import type { DeepgramOptions } from '../../../src/providers/stt/deepgram.js';
import { SttError } from '../../../src/providers/stt/stt.js';
import { TWO_SPEAKER_CALL, startDeepgramFake } from '../../fakes/deepgram.fake.js';
import type { DeepgramFake } from '../../fakes/deepgram.fake.js';
import { makeToneWav } from '../../helpers/audio.js';
import { localFetch } from '../../helpers/http.js';

const API_KEY = 'dg_test_key';
const audio = makeToneWav(8);

describe('DeepgramProvider', () => {
  let fake: DeepgramFake;
  beforeEach(async () => {
    fake = await startDeepgramFake({ apiKey: API_KEY });
  });
  afterEach(async () => {
    await fake.close();
  });
  const provider = (opts: Partial<DeepgramOptions> = {}): DeepgramProvider =>
    new DeepgramProvider({ apiKey: API_KEY, baseUrl: fake.url, fetch: localFetch, ...opts });

  it('posts the raw audio with a Token key and the diarization features, and maps two speakers', async () => {
    fake.reply({ kind: 'transcript', utterances: TWO_SPEAKER_CALL, duration: 8 });
    const transcript = await provider().transcribe({ audio, mimeType: 'audio/wav' });

    const [req] = fake.requests;
    expect(req?.path).toBe('/v1/listen');
    expect(req?.headers.authorization).toBe(`Token ${API_KEY}`);
    expect(req?.headers['content-type']).toBe('audio/wav');
    expect(req?.query).toEqual({
      model: 'nova-2',
      smart_format: 'true',
      diarize: 'true',
      punctuate: 'true',
      utterances: 'true',
    });
    expect(req?.body.equals(audio)).toBe(true);

    expect(transcript.segments).toEqual([
      {
        speaker: 'speaker_0',
        start: 0.08,
        end: 2.96,
        text: 'Thanks for calling Acme Roofing, how can I help?',
        confidence: 0.97,
      },
      {
        speaker: 'speaker_1',
        start: 3.2,
        end: 7.84,
        text: 'I need a new roof on my house and my budget is $15,000.',
        confidence: 0.93,
      },
    ]);
    expect(transcript).toMatchObject({
      text: 'Thanks for calling Acme Roofing, how can I help? I need a new roof on my house and my budget is $15,000.',
      language: 'en',
      durationSeconds: 8,
      provider: 'deepgram',
      model: 'nova-2',
      costUsd: 0.000573,
    });
    expect(transcript.confidence).toBeCloseTo(0.95, 6);
  });

  it('sends the language and model it is given and reports that language', async () => {
    fake.reply({ kind: 'transcript', utterances: TWO_SPEAKER_CALL });
    const transcript = await provider({ model: 'nova-3', name: 'deepgram-eu' }).transcribe({
      audio,
      mimeType: 'audio/wav',
      language: 'es',
    });

    expect(fake.requests[0]?.query).toMatchObject({ model: 'nova-3', language: 'es' });
    expect(transcript).toMatchObject({ language: 'es', model: 'nova-3', provider: 'deepgram-eu' });
  });

  it('reports a rejected key as not retryable, keeping err_msg', async () => {
    const err = await provider({ apiKey: 'dg_wrong' })
      .transcribe({ audio, mimeType: 'audio/wav' })
      .catch((e: unknown) => e);

    expect(err).toBeInstanceOf(SttError);
    expect(err).toMatchObject({
      provider: 'deepgram',
      status: 401,
      retryable: false,
      message: 'HTTP 401: Invalid credentials.',
    });
  });

  it.each([
    { status: 429, errCode: 'TOO_MANY_REQUESTS', errMsg: 'Too many requests. Please try again later', retryable: true },
    { status: 500, errCode: 'INTERNAL_SERVER_ERROR', errMsg: 'Internal server error.', retryable: true },
    { status: 503, errCode: 'SERVICE_UNAVAILABLE', errMsg: 'Service unavailable.', retryable: true },
    {
      status: 402,
      errCode: 'ASR_PAYMENT_REQUIRED',
      errMsg: 'Project does not have enough credits for an ASR request.',
      retryable: false,
    },
  ])('maps HTTP $status ($errCode) to retryable $retryable', async ({ status, errCode, errMsg, retryable }) => {
    fake.reply({ kind: 'error', status, errCode, errMsg });
    await expect(provider().transcribe({ audio, mimeType: 'audio/wav' })).rejects.toMatchObject({
      status,
      retryable,
      message: `HTTP ${status}: ${errMsg}`,
    });
  });

  it('reports audio Deepgram cannot decode as not retryable', async () => {
    await expect(provider().transcribe({ audio: Buffer.alloc(0), mimeType: 'audio/wav' })).rejects.toMatchObject({
      status: 400,
      retryable: false,
      message: expect.stringMatching(/^HTTP 400: .*(failed to process audio|the request body is required)/),
    });
    // Deepgram's document refuses an empty body too; this request is refused on purpose.
    fake.violations.splice(0);
  });

  it('gives up on a server that hangs after the timeout, as retryable', async () => {
    fake.reply({ kind: 'hang' });
    const started = Date.now();
    await expect(provider({ timeoutMs: 200 }).transcribe({ audio, mimeType: 'audio/wav' })).rejects.toMatchObject({
      retryable: true,
      message: 'no response within 200 ms',
    });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('stops when the caller aborts', async () => {
    fake.reply({ kind: 'hang' });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    await expect(
      provider().transcribe({ audio, mimeType: 'audio/wav' }, { signal: controller.signal }),
    ).rejects.toMatchObject({
      message: 'transcription aborted by the caller',
    });
  });

  it('reports a refused connection as retryable', async () => {
    const closed = await startDeepgramFake({ apiKey: API_KEY });
    await closed.close();
    await expect(
      new DeepgramProvider({ apiKey: API_KEY, baseUrl: closed.url, fetch: localFetch }).transcribe({
        audio,
        mimeType: 'audio/wav',
      }),
    ).rejects.toMatchObject({ retryable: true, status: undefined });
  });

  it('refuses to start without an API key', () => {
    expect(() => new DeepgramProvider({ apiKey: '', fetch: localFetch })).toThrow(SttError);
  });
});
