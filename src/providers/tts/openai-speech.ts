import type { Fetch } from '../http/guarded-fetch.js';
import { withoutTrailingSlashes } from '../../lib/text.js';
import { isWav, MAX_TTS_CHARS, TtsError, type Speech, type TtsProvider } from './tts.js';

export interface OpenAiSpeechOptions {
  /** Optional for self-hosted servers (openedai-speech, Kokoro-FastAPI); no Authorization header is sent without it. */
  apiKey?: string;
  /** Up to and including `/v1`; OpenAI's own when omitted. */
  baseUrl?: string;
  /** `tts-1`, `gpt-4o-mini-tts`, or whatever a self-hosted server loaded. */
  model?: string;
  /** `alloy`, `nova`, …; servers that copy the API name their own voices. */
  voice?: string;
  timeoutMs?: number;
  /** The SSRF-guarded client: the base URL is a tenant setting. */
  fetch: Fetch;
}

const OPENAI_BASE_URL = 'https://api.openai.com/v1';
const DEFAULT_TIMEOUT_MS = 30_000;

/** `POST {baseUrl}/audio/speech` on OpenAI or any server that copies its API, asking for WAV. */
export class OpenAiSpeechProvider implements TtsProvider {
  readonly name = 'openai';
  private readonly baseUrl: string;
  private readonly model: string;
  private readonly voice: string;
  private readonly timeoutMs: number;

  constructor(private readonly opts: OpenAiSpeechOptions) {
    this.baseUrl = withoutTrailingSlashes(opts.baseUrl ?? OPENAI_BASE_URL);
    this.model = opts.model ?? 'tts-1';
    this.voice = opts.voice ?? 'alloy';
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  async synthesize(text: string, opts: { signal?: AbortSignal } = {}): Promise<Speech> {
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
    let res: Response;
    try {
      res = await this.opts.fetch(`${this.baseUrl}/audio/speech`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(this.opts.apiKey ? { authorization: `Bearer ${this.opts.apiKey}` } : {}),
        },
        body: JSON.stringify({
          model: this.model,
          voice: this.voice,
          input: text.slice(0, MAX_TTS_CHARS),
          response_format: 'wav',
        }),
        signal,
      });
    } catch (err) {
      const reason = timeout.aborted ? `no response within ${this.timeoutMs} ms` : (err as Error).message;
      throw new TtsError(reason, this.name, { cause: err });
    }
    const body = Buffer.from(await res.arrayBuffer());
    if (!res.ok) throw new TtsError(`HTTP ${res.status}: ${vendorMessage(body)}`, this.name);
    if (!isWav(body)) throw new TtsError('the response is not WAV audio', this.name);
    return { wav: body, provider: this.name };
  }
}

/** OpenAI answers errors as `{ error: { message } }`; a proxy may send anything, so its text is kept. */
function vendorMessage(body: Buffer): string {
  const raw = body.toString('utf8', 0, Math.min(body.length, 2000));
  try {
    const parsed = JSON.parse(raw) as { error?: { message?: unknown } };
    if (typeof parsed.error?.message === 'string') return parsed.error.message;
  } catch {
    // Not JSON: the raw text says what went wrong.
  }
  return raw.slice(0, 200) || 'no error body';
}
