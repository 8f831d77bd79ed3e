import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { transcribeWithChain } from '../../../src/providers/stt/chain.js';
import { DeepgramProvider } from '../../../src/providers/stt/deepgram.js';
import { OpenAiTranscriptionProvider } from '../../../src/providers/stt/openai-transcription.js';
import { PocketsphinxProvider } from '../../../src/providers/stt/pocketsphinx.js';
import { SttError } from '../../../src/providers/stt/stt.js';
import type { AudioInput, SttProvider, Transcript } from '../../../src/providers/stt/stt.js';
import { TWO_SPEAKER_CALL, startDeepgramFake } from '../../fakes/deepgram.fake.js';
import type { DeepgramFake } from '../../fakes/deepgram.fake.js';
import { startOpenAiAudioFake } from '../../fakes/openai-audio.fake.js';
import type { OpenAiAudioFake } from '../../fakes/openai-audio.fake.js';
import { hasAudioTools, makeSpeechWav, makeToneWav } from '../../helpers/audio.js';
import { localFetch } from '../../helpers/http.js';

const input: AudioInput = { audio: makeToneWav(1), mimeType: 'audio/wav' };

function transcriptFrom(provider: string): Transcript {
  return {
    text: `heard by ${provider}`,
    confidence: 0.9,
    segments: [],
    language: 'en',
    durationSeconds: 1,
    provider,
    model: 'm',
    latencyMs: 1,
    costUsd: 0,
  };
}

/** A provider that answers with a transcript, or fails with the error it is given. */
function stub(name: string, outcome: SttError | Error | 'ok'): SttProvider & { calls: number } {
  return {
    name,
    calls: 0,
    transcribe() {
      this.calls++;
      return outcome === 'ok' ? Promise.resolve(transcriptFrom(name)) : Promise.reject(outcome);
    },
  };
}

describe('transcribeWithChain', () => {
  it('returns the first transcript without trying the rest', async () => {
    const later = stub('later', 'ok');
    const { transcript, fallbacks } = await transcribeWithChain([stub('first', 'ok'), later], input);

    expect(transcript.provider).toBe('first');
    expect(fallbacks).toEqual([]);
    expect(later.calls).toBe(0);
  });

  it('moves past failures and reports each one', async () => {
    const { transcript, fallbacks } = await transcribeWithChain(
      [
        stub('a', new SttError('HTTP 500: boom', 'a', true)),
        stub('b', new SttError('HTTP 401: bad key', 'b', false)),
        stub('c', 'ok'),
      ],
      input,
    );

    expect(transcript.provider).toBe('c');
    expect(fallbacks).toEqual([
      { provider: 'a', error: 'HTTP 500: boom' },
      { provider: 'b', error: 'HTTP 401: bad key' },
    ]);
  });

  it('is retryable when every provider failed and any of them might succeed later', async () => {
    const err = await transcribeWithChain(
      [stub('a', new SttError('HTTP 401: bad key', 'a', false)), stub('b', new SttError('HTTP 503: down', 'b', true))],
      input,
    ).catch((e: unknown) => e);

    expect(err).toBeInstanceOf(SttError);
    expect(err).toMatchObject({
      provider: 'chain',
      retryable: true,
      message: 'every speech-to-text provider failed (a: HTTP 401: bad key; b: HTTP 503: down)',
    });
  });

  it('is not retryable when every failure was permanent, including an adapter bug', async () => {
    await expect(
      transcribeWithChain(
        [stub('a', new SttError('HTTP 401: bad key', 'a', false)), stub('b', new TypeError('x is undefined'))],
        input,
      ),
    ).rejects.toMatchObject({
      retryable: false,
      message: 'every speech-to-text provider failed (a: HTTP 401: bad key; b: x is undefined)',
    });
  });

  it('refuses an empty chain', async () => {
    await expect(transcribeWithChain([], input)).rejects.toMatchObject({
      provider: 'chain',
      retryable: false,
      message: 'no speech-to-text provider is configured',
    });
  });

  it('stops at once when the caller aborts instead of trying the next provider', async () => {
    const controller = new AbortController();
    const aborting: SttProvider = {
      name: 'a',
      transcribe() {
        controller.abort();
        return Promise.reject(new SttError('transcription aborted by the caller', 'a', true));
      },
    };
    const next = stub('b', 'ok');

    await expect(transcribeWithChain([aborting, next], input, { signal: controller.signal })).rejects.toMatchObject({
      message: 'transcription aborted by the caller',
    });
    expect(next.calls).toBe(0);
  });
});

const tools = await hasAudioTools();

describe.skipIf(!tools.available)(
  `transcribeWithChain over real adapters ${tools.reason}`.trim(),
  { timeout: 180_000 },
  () => {
    let openai: OpenAiAudioFake;
    let deepgram: DeepgramFake;
    let call: AudioInput;
    beforeAll(async () => {
      [openai, deepgram] = await Promise.all([
        startOpenAiAudioFake({ apiKey: 'sk-test' }),
        startDeepgramFake({ apiKey: 'dg_real_key' }),
      ]);
      openai.reply({
        kind: 'error',
        status: 500,
        message: 'The server had an error while processing your request. Sorry about that!',
      });
      deepgram.reply({ kind: 'transcript', utterances: TWO_SPEAKER_CALL });
      // The Klatt voice: pocketsphinx hears most words of it, where espeak-ng's default voice yields only "thousand dollars".
      call = {
        audio: await makeSpeechWav('I need a new roof on my house and my budget is fifteen thousand dollars', {
          voice: 'en-us+klatt2',
        }),
        mimeType: 'audio/wav',
      };
    });
    afterAll(async () => {
      await Promise.all([openai.close(), deepgram.close()]);
    });

    const chain = (decoder: string): SttProvider[] => [
      new OpenAiTranscriptionProvider({ apiKey: 'sk-test', baseUrl: openai.baseUrl, fetch: localFetch }),
      new DeepgramProvider({ apiKey: 'dg_revoked_key', baseUrl: deepgram.url, fetch: localFetch }),
      new PocketsphinxProvider({ binary: decoder }),
    ];

    it('falls through OpenAI 500 and Deepgram 401 to pocketsphinx, and reports both fallbacks', async () => {
      const { transcript, fallbacks } = await transcribeWithChain(chain('pocketsphinx_continuous'), call);

      expect(fallbacks).toEqual([
        {
          provider: 'openai',
          error: 'HTTP 500: The server had an error while processing your request. Sorry about that!',
        },
        { provider: 'deepgram', error: 'HTTP 401: Invalid credentials.' },
      ]);
      expect(transcript.provider).toBe('pocketsphinx');
      expect(transcript.text).toContain('thousand dollars');
      expect(openai.requests.at(-1)?.file?.bytes.equals(call.audio)).toBe(true);
      expect(deepgram.requests.at(-1)?.body.equals(call.audio)).toBe(true);
    });

    it('throws an SttError naming every provider when all of them fail', async () => {
      await expect(transcribeWithChain(chain('pocketsphinx_missing'), call)).rejects.toMatchObject({
        provider: 'chain',
        retryable: true,
        message:
          'every speech-to-text provider failed (openai: HTTP 500: The server had an error while processing your request. Sorry about that!; ' +
          'deepgram: HTTP 401: Invalid credentials.; pocketsphinx: pocketsphinx_missing is not installed)',
      });
    });
  },
);
