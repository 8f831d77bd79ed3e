import { transcribeWithChain } from '../../../providers/stt/chain.js';
import { SttError, type SttProvider } from '../../../providers/stt/stt.js';
import type { BlobStorage } from '../../../providers/storage/storage.js';
import type { PipelineConfig } from '../calls.schema.js';
import { StepFailure, type StepOutcome, type StepRunner } from '../step.js';
import type { AudioOutput } from './audio-download.step.js';

/** What `speech_to_text` keeps for later steps (and for a retry that resumes after it). */
export interface TranscriptOutput {
  text: string;
  confidence: number;
  provider: string;
  model: string;
}

/**
 * With two voices the first one is taken to be ours: inbound calls are answered by the business.
 * With one voice (a transcriber without diarisation) everything is the caller's.
 */
function roleOf(speaker: string, first: string, speakers: number): 'agent' | 'caller' {
  return speakers > 1 && speaker === first ? 'agent' : 'caller';
}

/** `speech_to_text`: the tenant's transcription chain over the stored recording. */
export function speechToTextStep(deps: {
  storage: BlobStorage;
  providersFor: (config: PipelineConfig) => Promise<SttProvider[]>;
}): StepRunner {
  return async (input): Promise<StepOutcome> => {
    const fetched = input.outputs.callrail_api_fetch as { transcript?: string } | undefined;
    if (fetched?.transcript) return { status: 'skipped', reason: 'CallRail already transcribed this call' };
    const audio = input.outputs.audio_download as AudioOutput | undefined;
    if (!audio) return { status: 'skipped', reason: 'no recording to transcribe' };
    const providers = await deps.providersFor(input.config);
    if (providers.length === 0)
      return { status: 'skipped', reason: 'no speech-to-text provider configured (and pocketsphinx is not installed)' };
    const stored = await deps.storage.get(audio.storageKey);
    if (!stored) throw new StepFailure(`the stored recording ${audio.storageKey} is missing`, 'AUDIO_MISSING', false);

    let result;
    try {
      result = await transcribeWithChain(
        providers,
        {
          audio: stored.body,
          mimeType: stored.contentType,
          fileName: audio.storageKey.split('/').pop() ?? 'recording',
          ...(input.config.speech_to_text.language ? { language: input.config.speech_to_text.language } : {}),
        },
        { signal: input.signal },
      );
    } catch (err) {
      const retryable = err instanceof SttError ? err.retryable : true;
      throw new StepFailure(err instanceof Error ? err.message : String(err), 'AI_SERVICE_ERROR', retryable);
    }
    const t = result.transcript;
    const first = t.segments[0]?.speaker ?? '';
    const speakers = new Set(t.segments.map((s) => s.speaker)).size;
    const output: TranscriptOutput = { text: t.text, confidence: t.confidence, provider: t.provider, model: t.model };
    return {
      status: 'completed',
      costUsd: t.costUsd,
      ...(t.durationSeconds === null
        ? {}
        : { usage: { kind: 'audio' as const, provider: t.provider, model: t.model, seconds: t.durationSeconds } }),
      output,
      patch: {
        enrichedData: {
          audio_analysis: {
            transcript: t.text,
            speaker_segments: t.segments.map((s) => ({
              speaker: roleOf(s.speaker, first, speakers),
              text: s.text,
              start_time: s.start,
              end_time: s.end,
            })),
            confidence: Math.round(t.confidence * 100) / 100,
            language: t.language,
            duration_seconds: t.durationSeconds,
            provider: t.provider,
            model: t.model,
            fallbacks: result.fallbacks,
          },
        },
      },
    };
  };
}
