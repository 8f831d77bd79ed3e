import OpenAI, { APIConnectionTimeoutError, APIError, APIUserAbortError, toFile } from 'openai';
import { DEFAULT_TIMEOUT_MS, SttError, costForDuration, isRetryableStatus, refusedSttError } from './stt.js';
import type { Fetch } from '../http/guarded-fetch.js';
import type { AudioInput, SpeakerSegment, SttProvider, Transcript } from './stt.js';
import { readWavFormat } from './wav.js';

export interface OpenAiTranscriptionOptions {
  /** Optional for self-hosted servers (faster-whisper-server, whisper.cpp); no Authorization header is sent without it. */
  apiKey?: string;
  /** What the SDK takes as `baseURL`, up to and including `/v1`; OpenAI's own when omitted. */
  baseUrl?: string;
  /**
   * `whisper-1`, `gpt-4o-transcribe`, `gpt-4o-mini-transcribe`, or whatever a self-hosted
   * server loaded. Not `gpt-4o-transcribe-diarize`: it answers speakers only in `diarized_json`.
   */
  model?: string;
  /**
   * `verbose_json` brings segments, duration and language; OpenAI's gpt-4o transcribe models
   * accept only `json`, so that is their default and every other model gets `verbose_json`.
   */
  responseFormat?: 'verbose_json' | 'json';
  /** List price per audio minute; defaults from `DEFAULT_STT_PRICES`, else 0 (self-hosted). */
  pricePerMinuteUsd?: number;
  timeoutMs?: number;
  /** Chain name for this instance, so OpenAI and a self-hosted Whisper can coexist. */
  name?: string;
  /** The SSRF-guarded client: the base URL is a tenant setting. */
  fetch: Fetch;
}

const OPENAI_BASE_URL = 'https://api.openai.com/v1';

/** OpenAI's list prices per audio minute; models not listed (self-hosted ones) cost nothing. */
export const DEFAULT_STT_PRICES: Readonly<Record<string, number>> = {
  'whisper-1': 0.006,
  'gpt-4o-transcribe': 0.006,
  'gpt-4o-mini-transcribe': 0.003,
};

/** Whisper reports a segment's confidence as the mean log-probability of its tokens. */
interface VerboseSegment {
  start: number;
  end: number;
  text: string;
  avg_logprob?: number;
}

/** `POST {baseUrl}/audio/transcriptions` (multipart) on OpenAI or any server that copies its API. */
export class OpenAiTranscriptionProvider implements SttProvider {
  readonly name: string;
  private readonly client: OpenAI;
  private readonly model: string;
  private readonly responseFormat: 'verbose_json' | 'json';
  private readonly pricePerMinuteUsd: number;
  private readonly timeoutMs: number;

  constructor(opts: OpenAiTranscriptionOptions) {
    this.name = opts.name ?? 'openai';
    this.model = opts.model ?? 'whisper-1';
    this.responseFormat = opts.responseFormat ?? (/^gpt-4o/.test(this.model) ? 'json' : 'verbose_json');
    this.pricePerMinuteUsd = opts.pricePerMinuteUsd ?? DEFAULT_STT_PRICES[this.model] ?? 0;
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    // Every option is explicit so the SDK never reads OPENAI_* environment variables; retries
    // are off because the chain moves on and the queue retries. The SDK insists on a key, so a
    // keyless server gets a placeholder and a null header that keeps it off the wire.
    this.client = new OpenAI({
      apiKey: opts.apiKey || 'unused',
      adminAPIKey: null,
      organization: null,
      project: null,
      webhookSecret: null,
      baseURL: opts.baseUrl ?? OPENAI_BASE_URL,
      maxRetries: 0,
      timeout: this.timeoutMs,
      ...(opts.apiKey ? {} : { defaultHeaders: { Authorization: null } }),
      fetch: opts.fetch,
    });
  }

  async transcribe(input: AudioInput, opts: { signal?: AbortSignal } = {}): Promise<Transcript> {
    const started = performance.now();
    const file = await toFile(input.audio, input.fileName ?? `audio${extensionFor(input.mimeType)}`, {
      type: input.mimeType,
    });
    const common = { file, model: this.model, ...(input.language ? { language: input.language } : {}) };
    const requestOptions = { timeout: this.timeoutMs, ...(opts.signal ? { signal: opts.signal } : {}) };
    try {
      if (this.responseFormat === 'verbose_json') {
        const res = await this.client.audio.transcriptions.create(
          { ...common, response_format: 'verbose_json' },
          requestOptions,
        );
        const segments = (res.segments ?? []).map(toSegment);
        return this.transcript({
          text: res.text.trim(),
          segments,
          confidence: mean(segments.map((s) => s.confidence).filter((c) => c !== undefined)),
          language: toLanguageCode(res.language) ?? input.language ?? null,
          // Some self-hosted servers leave the duration out despite the type.
          durationSeconds: res.duration ?? null,
          started,
        });
      }
      const res = await this.client.audio.transcriptions.create(
        { ...common, response_format: 'json', include: ['logprobs'] },
        requestOptions,
      );
      // `json` carries no timings; the duration comes from usage or, failing that, the WAV header.
      const durationSeconds =
        res.usage?.type === 'duration' ? res.usage.seconds : (readWavFormat(input.audio)?.durationSeconds ?? null);
      const text = res.text.trim();
      const confidence = res.logprobs?.length ? Math.exp(mean(res.logprobs.map((l) => l.logprob ?? 0))) : 0;
      return this.transcript({
        text,
        segments: text ? [{ speaker: 'speaker_0', start: 0, end: durationSeconds ?? 0, text, confidence }] : [],
        confidence,
        language: input.language ?? null,
        durationSeconds,
        started,
      });
    } catch (err) {
      throw this.toSttError(err, opts.signal);
    }
  }

  private transcript(
    t: Pick<Transcript, 'text' | 'segments' | 'confidence' | 'language' | 'durationSeconds'> & { started: number },
  ): Transcript {
    return {
      text: t.text,
      confidence: t.confidence,
      segments: t.segments,
      language: t.language,
      durationSeconds: t.durationSeconds,
      provider: this.name,
      model: this.model,
      latencyMs: Math.round(performance.now() - t.started),
      costUsd: costForDuration(t.durationSeconds, this.pricePerMinuteUsd),
    };
  }

  private toSttError(err: unknown, signal: AbortSignal | undefined): SttError {
    const refused = refusedSttError(this.name, err);
    if (refused) return refused;
    if (err instanceof APIUserAbortError || signal?.aborted) {
      return new SttError('transcription aborted by the caller', this.name, true, { cause: err });
    }
    if (err instanceof APIConnectionTimeoutError) {
      return new SttError(`no response within ${this.timeoutMs} ms`, this.name, true, { cause: err });
    }
    if (err instanceof APIError && typeof err.status === 'number') {
      const message = vendorMessage(err.error) ?? err.message;
      return new SttError(`HTTP ${err.status}: ${message}`, this.name, isRetryableStatus(err.status), {
        status: err.status,
        cause: err,
      });
    }
    // Refused connections and resets: the server may be restarting.
    return new SttError(err instanceof Error ? err.message : String(err), this.name, true, { cause: err });
  }
}

function toSegment(s: VerboseSegment): SpeakerSegment {
  return {
    speaker: 'speaker_0',
    start: s.start,
    end: s.end,
    text: s.text.trim(),
    ...(s.avg_logprob === undefined ? {} : { confidence: Math.exp(s.avg_logprob) }),
  };
}

function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length;
}

/** OpenAI rejects uploads whose file name has no audio extension, whatever the Content-Type says. */
function extensionFor(mimeType: string): string {
  const subtype = mimeType.split(';')[0]?.trim().toLowerCase().split('/')[1] ?? '';
  const known: Record<string, string> = {
    wav: '.wav',
    'x-wav': '.wav',
    wave: '.wav',
    mpeg: '.mp3',
    mp3: '.mp3',
    mp4: '.mp4',
    m4a: '.m4a',
    'x-m4a': '.m4a',
    ogg: '.ogg',
    webm: '.webm',
    flac: '.flac',
    'x-flac': '.flac',
  };
  return known[subtype] ?? '.wav';
}

let languageCodes: Map<string, string> | undefined;

/**
 * OpenAI's `verbose_json` names the language in English (`english`) where self-hosted
 * servers send the code (`en`); both become the ISO-639-1 code the other providers report.
 */
function toLanguageCode(language: string | undefined): string | null {
  if (!language) return null;
  const lower = language.toLowerCase();
  if (/^[a-z]{2}$/.test(lower)) return lower;
  if (!languageCodes) {
    const names = new Intl.DisplayNames('en', { type: 'language', fallback: 'none' });
    languageCodes = new Map();
    for (let a = 97; a <= 122; a++) {
      for (let b = 97; b <= 122; b++) {
        const code = String.fromCharCode(a, b);
        const name = names.of(code);
        if (name) languageCodes.set(name.toLowerCase(), code);
      }
    }
  }
  return languageCodes.get(lower) ?? null;
}

/** OpenAI error bodies are `{ error: { message, type, code } }`; the SDK hands us the inner object. */
function vendorMessage(body: unknown): string | undefined {
  if (typeof body === 'object' && body !== null && 'message' in body && typeof body.message === 'string')
    return body.message;
  return undefined;
}
