import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { synthesizeWithChain } from '../../../src/providers/tts/chain.js';
import {
  ESPEAK_NG,
  FESTIVAL,
  isLocalSynthAvailable,
  LocalSynthProvider,
} from '../../../src/providers/tts/local-synth.js';
import { OpenAiSpeechProvider } from '../../../src/providers/tts/openai-speech.js';
import { TtsError } from '../../../src/providers/tts/tts.js';
import { readWavFormat } from '../../../src/providers/stt/wav.js';
import { startOpenAiSpeechFake, type OpenAiSpeechFake } from '../../fakes/openai-speech.fake.js';
import { localFetch } from '../../helpers/http.js';

const festival = await isLocalSynthAvailable(FESTIVAL);
const espeak = await isLocalSynthAvailable(ESPEAK_NG);

describe('OpenAiSpeechProvider', () => {
  let fake: OpenAiSpeechFake;
  beforeEach(async () => {
    fake = await startOpenAiSpeechFake({ apiKey: 'sk-test' });
  });
  afterEach(async () => {
    await fake.close();
  });
  const provider = (apiKey = 'sk-test') =>
    new OpenAiSpeechProvider({ apiKey, baseUrl: fake.baseUrl, fetch: localFetch, model: 'tts-1', voice: 'nova' });

  it('posts the text as JSON asking for WAV and returns the audio', async () => {
    fake.reply({ kind: 'audio', seconds: 0.5 });
    const speech = await provider().synthesize('Thanks for calling.');
    expect(fake.requests[0]?.body).toEqual({
      model: 'tts-1',
      voice: 'nova',
      input: 'Thanks for calling.',
      response_format: 'wav',
    });
    expect(speech.provider).toBe('openai');
    expect(readWavFormat(speech.wav)?.durationSeconds).toBeCloseTo(0.5);
  });

  it('fails with the vendor’s message on an error answer and on a wrong key', async () => {
    fake.reply({ kind: 'error', status: 503, message: 'Overloaded' });
    await expect(provider().synthesize('hi')).rejects.toThrow(new TtsError('HTTP 503: Overloaded', 'openai'));
    await expect(provider('sk-wrong').synthesize('hi')).rejects.toThrow(/HTTP 401: Incorrect API key/);
  });
});

describe('local synthesisers', () => {
  it.skipIf(!festival)('speaks with festival’s SLT voice', async () => {
    const speech = await new LocalSynthProvider(FESTIVAL).synthesize('Hello, how can I help?');
    expect(speech.provider).toBe('festival');
    expect(readWavFormat(speech.wav)?.durationSeconds).toBeGreaterThan(0.5);
  });

  it.skipIf(!espeak)('speaks with espeak-ng, taking the text from a file so quotes and dashes stay words', async () => {
    const speech = await new LocalSynthProvider(ESPEAK_NG).synthesize('--help "; rm -rf /');
    expect(readWavFormat(speech.wav)?.durationSeconds).toBeGreaterThan(0.2);
  });

  it('says a missing synthesiser is not installed, and the chain names every failure', async () => {
    const missing = new LocalSynthProvider({ ...ESPEAK_NG, name: 'missing', binary: 'no-such-synth' });
    await expect(missing.synthesize('hi')).rejects.toThrow(new TtsError('no-such-synth is not installed', 'missing'));
    await expect(synthesizeWithChain([missing], 'hi')).rejects.toThrow(
      'every text-to-speech provider failed (missing: no-such-synth is not installed)',
    );
    await expect(synthesizeWithChain([], 'hi')).rejects.toThrow(
      'no text-to-speech provider is configured or installed',
    );
  });
});
