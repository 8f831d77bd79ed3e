import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OpenAiTranscriptionProvider } from '../../../src/providers/stt/openai-transcription.js';
import type { OpenAiTranscriptionOptions } from '../../../src/providers/stt/openai-transcription.js';
import { SttError } from '../../../src/providers/stt/stt.js';
import { startOpenAiAudioFake } from '../../fakes/openai-audio.fake.js';
import type { FakeSegment, OpenAiAudioFake } from '../../fakes/openai-audio.fake.js';
import { makeToneWav } from '../../helpers/audio.js';
import { localFetch } from '../../helpers/http.js';

const audio = makeToneWav(7.5);
const segments: FakeSegment[] = [
  { start: 0, end: 3.2, text: 'Thanks for calling Acme Roofing.', avgLogprob: -0.1 },
  { start: 3.2, end: 7.5, text: 'I need a new roof on my house.', avgLogprob: -0.3 },
];
const text = 'Thanks for calling Acme Roofing. I need a new roof on my house.';

describe('OpenAiTranscriptionProvider', () => {
  let fake: OpenAiAudioFake;
  beforeEach(async () => {
    fake = await startOpenAiAudioFake({ apiKey: 'sk-test' });
  });
  afterEach(async () => {
    await fake.close();
  });
  const provider = (opts: Partial<OpenAiTranscriptionOptions> = {}): OpenAiTranscriptionProvider =>
    new OpenAiTranscriptionProvider({ apiKey: 'sk-test', baseUrl: fake.baseUrl, fetch: localFetch, ...opts });

  it('uploads the audio as multipart with whisper-1 and verbose_json, and maps the segments', async () => {
    fake.reply({ kind: 'transcript', text, segments, language: 'english', duration: 7.5 });
    const transcript = await provider().transcribe({
      audio,
      mimeType: 'audio/wav',
      fileName: 'call.wav',
      language: 'en',
    });

    const [req] = fake.requests;
    expect(req?.path).toBe('/v1/audio/transcriptions');
    expect(req?.headers.authorization).toBe('Bearer sk-test');
    expect(req?.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(req?.fields).toEqual({ model: 'whisper-1', response_format: 'verbose_json', language: 'en' });
    expect(req?.file).toMatchObject({ name: 'call.wav', type: 'audio/wav' });
    expect(req?.file?.bytes.equals(audio)).toBe(true);

    expect(transcript).toMatchObject({
      text,
      language: 'en',
      durationSeconds: 7.5,
      provider: 'openai',
      model: 'whisper-1',
      costUsd: 0.00075,
    });
    expect(transcript.segments).toEqual([
      {
        speaker: 'speaker_0',
        start: 0,
        end: 3.2,
        text: 'Thanks for calling Acme Roofing.',
        confidence: Math.exp(-0.1),
      },
      {
        speaker: 'speaker_0',
        start: 3.2,
        end: 7.5,
        text: 'I need a new roof on my house.',
        confidence: Math.exp(-0.3),
      },
    ]);
    expect(transcript.confidence).toBeCloseTo((Math.exp(-0.1) + Math.exp(-0.3)) / 2, 6);
    expect(transcript.latencyMs).toBeGreaterThanOrEqual(0);
  });

  it('names the upload after the MIME type when the input has no file name', async () => {
    fake.reply({ kind: 'transcript', text, segments });
    await provider().transcribe({ audio, mimeType: 'audio/mpeg' });

    expect(fake.requests[0]?.file).toMatchObject({ name: 'audio.mp3', type: 'audio/mpeg' });
    expect(fake.requests[0]?.fields).not.toHaveProperty('language');
  });

  it('asks gpt-4o-transcribe for json with logprobs and takes the duration from the WAV header', async () => {
    fake.reply({ kind: 'transcript', text });
    const transcript = await provider({ model: 'gpt-4o-transcribe' }).transcribe({
      audio,
      mimeType: 'audio/wav',
      language: 'en',
    });

    expect(fake.requests[0]?.fields).toEqual({
      model: 'gpt-4o-transcribe',
      response_format: 'json',
      'include[]': 'logprobs',
      language: 'en',
    });
    expect(transcript).toMatchObject({
      text,
      language: 'en',
      durationSeconds: 7.5,
      model: 'gpt-4o-transcribe',
      costUsd: 0.00075,
    });
    expect(transcript.confidence).toBeCloseTo(Math.exp(-0.05), 6);
    expect(transcript.segments).toEqual([
      { speaker: 'speaker_0', start: 0, end: 7.5, text, confidence: transcript.confidence },
    ]);
  });

  it('reaches a keyless self-hosted Whisper server without an Authorization header, at no cost', async () => {
    const selfHosted = await startOpenAiAudioFake();
    try {
      selfHosted.reply({ kind: 'transcript', text, segments, language: 'en' });
      const whisper = new OpenAiTranscriptionProvider({
        fetch: localFetch,
        baseUrl: selfHosted.baseUrl,
        model: 'Systran/faster-whisper-small',
        name: 'whisper-local',
      });
      const transcript = await whisper.transcribe({ audio, mimeType: 'audio/wav' });

      expect(selfHosted.requests[0]?.headers.authorization).toBeUndefined();
      expect(selfHosted.requests[0]?.fields.response_format).toBe('verbose_json');
      expect(transcript).toMatchObject({
        provider: 'whisper-local',
        model: 'Systran/faster-whisper-small',
        language: 'en',
        costUsd: 0,
      });
    } finally {
      await selfHosted.close();
    }
  });

  it('prices with the configured rate per minute', async () => {
    fake.reply({ kind: 'transcript', text, segments, duration: 120 });
    const transcript = await provider({ pricePerMinuteUsd: 0.01 }).transcribe({ audio, mimeType: 'audio/wav' });

    expect(transcript.costUsd).toBe(0.02);
  });

  it.each([
    { status: 429, retryable: true },
    { status: 500, retryable: true },
    { status: 503, retryable: true },
    { status: 400, retryable: false },
    { status: 413, retryable: false },
  ])(
    'maps HTTP $status to an SttError with retryable $retryable, keeping the vendor message, without retrying',
    async ({ status, retryable }) => {
      fake.reply({ kind: 'error', status, message: `vendor says ${status}` });
      const err = await provider()
        .transcribe({ audio, mimeType: 'audio/wav' })
        .catch((e: unknown) => e);

      expect(err).toBeInstanceOf(SttError);
      expect(err).toMatchObject({
        provider: 'openai',
        status,
        retryable,
        message: `HTTP ${status}: vendor says ${status}`,
      });
      expect(fake.requests).toHaveLength(1);
    },
  );

  it('reports a rejected key as not retryable', async () => {
    await expect(provider({ apiKey: 'sk-wrong' }).transcribe({ audio, mimeType: 'audio/wav' })).rejects.toMatchObject({
      status: 401,
      retryable: false,
      message: 'HTTP 401: Incorrect API key provided.',
    });
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
});
