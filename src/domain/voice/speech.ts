import { transcribeWithChain } from '../../providers/stt/chain.js';
import type { SttProvider } from '../../providers/stt/stt.js';
import type { Fetch } from '../../providers/http/guarded-fetch.js';
import { synthesizeWithChain } from '../../providers/tts/chain.js';
import { ESPEAK_NG, FESTIVAL, isLocalSynthAvailable, LocalSynthProvider } from '../../providers/tts/local-synth.js';
import { OpenAiSpeechProvider } from '../../providers/tts/openai-speech.js';
import type { TtsProvider } from '../../providers/tts/tts.js';
import { pipelineConfigSchema, type PipelineConfig } from '../calls/index.js';
import { AppError } from '../errors.js';
import type { TenantsService } from '../tenants/index.js';

/** A reply spoken, or why it could not be. */
export type SpokenReply = { wav: Buffer; provider: string } | { wav: null; unavailable: string };

/** What was heard in a recording, and by whom, kept with the message it became. */
export interface Heard {
  text: string;
  provider: string;
  model: string;
  confidence: number;
}

/** What a voice session needs of speech: the caller's audio as text, and the reply as audio. */
export interface VoiceSpeech {
  /** The caller's recording (WAV, any rate) as text, with the tenant's speech-to-text chain. */
  transcribe(tenantId: string, wav: Buffer): Promise<Heard>;
  speak(tenantId: string, text: string): Promise<SpokenReply>;
  /** `text` as WAV, for a caller who asked for audio only: refused as UNAVAILABLE, saying why, when no voice can speak it. */
  audio(tenantId: string, text: string): Promise<Buffer>;
}

export interface SpeechPorts {
  tenants: Pick<TenantsService, 'getConfigWithSecrets'>;
  /** The transcription chain a call recording uses: the tenant's vendors, then pocketsphinx when installed. */
  sttProvidersFor: (config: PipelineConfig) => Promise<SttProvider[]>;
  /** The SSRF-guarded client, for the tenant's speech endpoint. */
  fetch: Fetch;
}

/** The local voices installed here, probed once: festival's SLT voice first, espeak-ng after it. */
function localVoices(): () => Promise<TtsProvider[]> {
  let found: Promise<TtsProvider[]> | undefined;
  return () =>
    (found ??= Promise.all([isLocalSynthAvailable(FESTIVAL), isLocalSynthAvailable(ESPEAK_NG)]).then(
      ([festival, espeak]) => [
        ...(festival ? [new LocalSynthProvider(FESTIVAL)] : []),
        ...(espeak ? [new LocalSynthProvider(ESPEAK_NG)] : []),
      ],
    ));
}

/** Speech in and out for a tenant, with the providers its configuration names before the local ones. */
export function createVoiceSpeech(ports: SpeechPorts): VoiceSpeech {
  const local = localVoices();
  const speech: VoiceSpeech = {
    async transcribe(tenantId, wav) {
      const config = pipelineConfigSchema.parse(await ports.tenants.getConfigWithSecrets(tenantId));
      const providers = await ports.sttProvidersFor(config);
      if (providers.length === 0)
        throw new AppError('UNAVAILABLE', 'No speech-to-text provider is configured or installed; send text instead');
      const { transcript } = await transcribeWithChain(providers, {
        audio: wav,
        mimeType: 'audio/wav',
        fileName: 'caller.wav',
        ...(config.speech_to_text.language ? { language: config.speech_to_text.language } : {}),
      }).catch((err: unknown) => {
        throw new AppError('UPSTREAM', 'The audio could not be transcribed', {
          details: { reason: err instanceof Error ? err.message : String(err) },
        });
      });
      return {
        text: transcript.text.trim(),
        provider: transcript.provider,
        model: transcript.model,
        confidence: transcript.confidence,
      };
    },

    async speak(tenantId, text) {
      if (!text) return { wav: null, unavailable: 'there is no reply to speak' };
      const cfg = (await ports.tenants.getConfigWithSecrets(tenantId)).text_to_speech ?? {};
      if (cfg.provider === 'none') return { wav: null, unavailable: 'spoken replies are turned off for this tenant' };
      const vendor: TtsProvider[] =
        cfg.provider === 'openai'
          ? [
              new OpenAiSpeechProvider({
                fetch: ports.fetch,
                ...(cfg.api_key ? { apiKey: cfg.api_key } : {}),
                ...(cfg.base_url ? { baseUrl: cfg.base_url } : {}),
                ...(cfg.model ? { model: cfg.model } : {}),
                ...(cfg.voice ? { voice: cfg.voice } : {}),
              }),
            ]
          : [];
      try {
        const speech = await synthesizeWithChain([...vendor, ...(await local())], text);
        return { wav: speech.wav, provider: speech.provider };
      } catch (err) {
        // A call goes on in text when no voice is available; the caller is told why.
        return { wav: null, unavailable: err instanceof Error ? err.message : String(err) };
      }
    },

    async audio(tenantId, text) {
      const spoken = await speech.speak(tenantId, text);
      if (spoken.wav) return spoken.wav;
      throw new AppError('UNAVAILABLE', `No speech could be made: ${spoken.unavailable}`);
    },
  };
  return speech;
}
