import { TtsError, type Speech, type TtsProvider } from './tts.js';

/** Tries the providers in order and returns the first recording; when all fail, the error names each failure. */
export async function synthesizeWithChain(
  providers: readonly TtsProvider[],
  text: string,
  opts: { signal?: AbortSignal } = {},
): Promise<Speech> {
  if (providers.length === 0) throw new TtsError('no text-to-speech provider is configured or installed', 'chain');
  const failures: string[] = [];
  for (const provider of providers) {
    try {
      return await provider.synthesize(text, opts);
    } catch (err) {
      failures.push(`${provider.name}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  throw new TtsError(`every text-to-speech provider failed (${failures.join('; ')})`, 'chain');
}
