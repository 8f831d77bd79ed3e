import { refusalIn } from '../http/safe-fetch.js';

/**
 * The speech-to-text port: one recording in, one transcript out. Each adapter (a vendor API
 * or the local decoder) maps its failures onto `SttError`, whose `retryable` tells the chain
 * and the queue whether trying again later can help.
 */

export interface AudioInput {
  audio: Buffer;
  /** `audio/wav`, `audio/mpeg`, `audio/flac`, `audio/ogg`, …; vendors and sox pick the decoder from it. */
  mimeType: string;
  /** Sent to vendors that want a file name; its extension also names the format when the MIME type is vague. */
  fileName?: string;
  /** ISO-639-1 code (`en`) when known; vendors detect or assume one otherwise. */
  language?: string;
}

export interface SpeakerSegment {
  /** `speaker_0`, `speaker_1`, …; always `speaker_0` where the provider does not diarize. */
  speaker: string;
  /** Seconds from the start of the recording. */
  start: number;
  end: number;
  text: string;
  /** 0..1, when the provider reports one for the segment. */
  confidence?: number;
}

export interface Transcript {
  text: string;
  /** 0..1 over the whole recording; 0 when the provider gives no measure, so such transcripts look doubtful rather than sure. */
  confidence: number;
  segments: SpeakerSegment[];
  /** ISO-639-1 code, or null when the provider does not say. */
  language: string | null;
  durationSeconds: number | null;
  /** The provider's chain name. */
  provider: string;
  model: string;
  latencyMs: number;
  costUsd: number;
}

export class SttError extends Error {
  override readonly name = 'SttError';
  /** The HTTP status the vendor answered with, when there was one. */
  readonly status: number | undefined;

  constructor(
    message: string,
    readonly provider: string,
    /** True when the same request may succeed later (rate limits, 5xx, timeouts); false for bad keys or bad audio. */
    readonly retryable: boolean,
    options?: { status?: number; cause?: unknown },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.status = options?.status;
  }
}

/** A base URL the guard refused: final, since no retry reaches a private address the operator has not allow-listed. */
export function refusedSttError(provider: string, err: unknown): SttError | undefined {
  const refusal = refusalIn(err);
  return refusal ? new SttError(`base URL refused: it ${refusal.message}`, provider, false, { cause: err }) : undefined;
}

export interface SttProvider {
  /** The name the chain reports (`openai`, `deepgram`, `pocketsphinx`, …). */
  readonly name: string;
  /** Transcribes one recording; rejects with `SttError` on every failure. */
  transcribe(input: AudioInput, opts?: { signal?: AbortSignal }): Promise<Transcript>;
}

/** Vendor request limit when an adapter is given none; uploading a long call takes a while. */
export const DEFAULT_TIMEOUT_MS = 120_000;

/**
 * Rate limits, timeouts, conflicts and server errors pass; every other 4xx (bad key, bad
 * audio, unknown model) fails the same way however often it is sent.
 */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

/** Cost of `seconds` of audio at a per-minute list price, rounded to micro-dollars so sums stay clean. */
export function costForDuration(seconds: number | null, pricePerMinuteUsd: number): number {
  if (seconds === null) return 0;
  return Math.round((seconds / 60) * pricePerMinuteUsd * 1e6) / 1e6;
}
