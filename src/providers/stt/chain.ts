import { SttError } from './stt.js';
import type { AudioInput, SttProvider, Transcript } from './stt.js';

export interface SttFallback {
  provider: string;
  error: string;
}

/**
 * Tries the providers in order and returns the first transcript, with every failure on the
 * way. When all fail, the error names each one and is retryable if any failure was, since a
 * later attempt could then get through. A caller's abort ends the chain at once: the next
 * provider would be cancelled by the same signal anyway.
 */
export async function transcribeWithChain(
  providers: readonly SttProvider[],
  input: AudioInput,
  opts: { signal?: AbortSignal } = {},
): Promise<{ transcript: Transcript; fallbacks: SttFallback[] }> {
  if (providers.length === 0) throw new SttError('no speech-to-text provider is configured', 'chain', false);
  const fallbacks: SttFallback[] = [];
  let retryable = false;
  for (const provider of providers) {
    if (opts.signal?.aborted)
      throw new SttError('transcription aborted by the caller', 'chain', true, { cause: opts.signal.reason });
    try {
      return { transcript: await provider.transcribe(input, opts), fallbacks };
    } catch (err) {
      // Anything that is not an SttError is a bug in an adapter; retrying would repeat it.
      retryable ||= err instanceof SttError && err.retryable;
      fallbacks.push({ provider: provider.name, error: err instanceof Error ? err.message : String(err) });
    }
  }
  const summary = fallbacks.map((f) => `${f.provider}: ${f.error}`).join('; ');
  throw new SttError(`every speech-to-text provider failed (${summary})`, 'chain', retryable);
}
