import { z } from 'zod';
import { DEFAULT_TIMEOUT_MS, SttError, costForDuration, isRetryableStatus, refusedSttError } from './stt.js';
import type { AudioInput, SttProvider, Transcript } from './stt.js';
import { parseJsonOrUndefined } from '../../lib/json.js';
import type { Fetch } from '../http/guarded-fetch.js';
import { withoutTrailingSlashes } from '../../lib/text.js';

export interface DeepgramOptions {
  apiKey: string;
  /** `https://api.deepgram.com` unless a proxy, a self-hosted Deepgram or a test fake stands in. */
  baseUrl?: string;
  /** `nova-2` (the default), `nova-3`, `nova-2-phonecall`, … */
  model?: string;
  /** Pay-as-you-go price per audio minute for pre-recorded audio; nova-2 lists at $0.0043. */
  pricePerMinuteUsd?: number;
  timeoutMs?: number;
  /** Chain name for this instance. */
  name?: string;
  /** The SSRF-guarded client: the base URL is a tenant setting. */
  fetch: Fetch;
}

const DEEPGRAM_BASE_URL = 'https://api.deepgram.com';

/** The parts of Deepgram's pre-recorded response we use, read leniently: extra fields are ignored. */
const listenResponseSchema = z.object({
  metadata: z.object({ duration: z.number().nullish(), request_id: z.string().nullish() }).nullish(),
  results: z.object({
    channels: z.array(
      z.object({
        alternatives: z.array(z.object({ transcript: z.string(), confidence: z.number() })),
        detected_language: z.string().nullish(),
      }),
    ),
    utterances: z
      .array(
        z.object({
          start: z.number(),
          end: z.number(),
          confidence: z.number(),
          transcript: z.string(),
          speaker: z.number().nullish(),
        }),
      )
      .nullish(),
  }),
});

/**
 * Deepgram's pre-recorded API: `POST /v1/listen` with the raw audio as the body and the
 * features as query parameters. Diarized utterances become one segment each, labelled by
 * Deepgram's speaker number.
 */
export class DeepgramProvider implements SttProvider {
  readonly name: string;
  private readonly apiKey: string;
  private readonly baseUrl: string;
  private readonly model: string;
  private readonly pricePerMinuteUsd: number;
  private readonly timeoutMs: number;
  private readonly fetch: Fetch;

  constructor(opts: DeepgramOptions) {
    this.name = opts.name ?? 'deepgram';
    if (!opts.apiKey) throw new SttError('apiKey is required', this.name, false);
    this.apiKey = opts.apiKey;
    this.baseUrl = withoutTrailingSlashes(opts.baseUrl ?? DEEPGRAM_BASE_URL);
    this.model = opts.model ?? 'nova-2';
    this.pricePerMinuteUsd = opts.pricePerMinuteUsd ?? 0.0043;
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.fetch = opts.fetch;
  }

  async transcribe(input: AudioInput, opts: { signal?: AbortSignal } = {}): Promise<Transcript> {
    const started = performance.now();
    const query = new URLSearchParams({
      model: this.model,
      smart_format: 'true',
      diarize: 'true',
      punctuate: 'true',
      utterances: 'true',
    });
    if (input.language) query.set('language', input.language);
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;

    let status: number;
    let raw: string;
    try {
      const res = await this.fetch(`${this.baseUrl}/v1/listen?${query.toString()}`, {
        method: 'POST',
        headers: { authorization: `Token ${this.apiKey}`, 'content-type': input.mimeType, accept: 'application/json' },
        body: input.audio,
        signal,
      });
      status = res.status;
      raw = await res.text();
    } catch (err) {
      const refused = refusedSttError(this.name, err);
      if (refused) throw refused;
      if (opts.signal?.aborted)
        throw new SttError('transcription aborted by the caller', this.name, true, { cause: err });
      if (timeout.aborted)
        throw new SttError(`no response within ${this.timeoutMs} ms`, this.name, true, { cause: err });
      // Refused connections and resets: the service or the network may recover.
      throw new SttError(err instanceof Error ? err.message : String(err), this.name, true, { cause: err });
    }

    if (status < 200 || status >= 300) {
      throw new SttError(`HTTP ${status}: ${errorMessage(raw)}`, this.name, isRetryableStatus(status), { status });
    }
    const parsed = listenResponseSchema.safeParse(parseJsonOrUndefined(raw));
    if (!parsed.success) {
      throw new SttError(
        `the response is not a Deepgram transcript: ${z.prettifyError(parsed.error)}`,
        this.name,
        false,
        { status },
      );
    }
    const { metadata, results } = parsed.data;
    const channel = results.channels[0];
    const best = channel?.alternatives[0];
    const durationSeconds = metadata?.duration ?? null;
    return {
      text: best?.transcript ?? '',
      confidence: best?.confidence ?? 0,
      segments: (results.utterances ?? []).map((u) => ({
        speaker: `speaker_${u.speaker ?? 0}`,
        start: u.start,
        end: u.end,
        text: u.transcript,
        confidence: u.confidence,
      })),
      // Without a `language` parameter or detection, Deepgram transcribes as English.
      language: channel?.detected_language ?? input.language ?? 'en',
      durationSeconds,
      provider: this.name,
      model: this.model,
      latencyMs: Math.round(performance.now() - started),
      costUsd: costForDuration(durationSeconds, this.pricePerMinuteUsd),
    };
  }
}

/**
 * Deepgram answers errors as `{ err_code, err_msg, request_id }`, newer endpoints as
 * `{ category, message, details }`; a proxy in front may send anything, so its text is kept.
 */
function errorMessage(raw: string): string {
  const body = parseJsonOrUndefined(raw);
  if (typeof body === 'object' && body !== null) {
    if ('err_msg' in body && typeof body.err_msg === 'string') return body.err_msg;
    if ('message' in body && typeof body.message === 'string') return body.message;
  }
  return raw.slice(0, 200) || 'no error body';
}
