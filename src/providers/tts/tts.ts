/**
 * The text-to-speech port: one reply in, one WAV recording out. Each adapter (a vendor API or a
 * local synthesiser) maps its failures onto `TtsError`, so the chain can move on to the next.
 */

export interface Speech {
  /** A RIFF/WAVE file. */
  wav: Buffer;
  /** The provider's chain name. */
  provider: string;
}

export interface TtsProvider {
  /** The name the chain reports (`openai`, `festival`, `espeak-ng`). */
  readonly name: string;
  /** Speaks `text`; rejects with `TtsError` on every failure. */
  synthesize(text: string, opts?: { signal?: AbortSignal }): Promise<Speech>;
}

export class TtsError extends Error {
  override readonly name = 'TtsError';

  constructor(
    message: string,
    readonly provider: string,
    options?: { cause?: unknown },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
  }
}

/** The longest reply spoken: a voice turn is a few sentences, and synthesis time grows with the text. */
export const MAX_TTS_CHARS = 2000;

/** True when `buf` starts like a WAV file, so a provider never hands on something else as audio. */
export function isWav(buf: Buffer): boolean {
  return buf.length > 44 && buf.toString('ascii', 0, 4) === 'RIFF' && buf.toString('ascii', 8, 12) === 'WAVE';
}
