import { execFile } from 'node:child_process';
import { access, mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, extname, join } from 'node:path';
import { SttError } from './stt.js';
import type { AudioInput, SpeakerSegment, SttProvider, Transcript } from './stt.js';
import { readWavFormat } from './wav.js';
import type { WavFormat } from './wav.js';

export interface PocketsphinxOptions {
  /** The decoder binary (Debian package `pocketsphinx`). */
  binary?: string;
  /** sox, for audio that is not already 16 kHz mono 16-bit WAV. */
  soxBinary?: string;
  /**
   * Directory with `en-us/` (acoustic model), `en-us.lm.bin` and `cmudict-en-us.dict`, as
   * the Debian package `pocketsphinx-en-us` installs them; the binary's built-in default
   * model is used when they are missing.
   */
  modelDir?: string;
  /** ISO-639-1 code of the model's language. */
  language?: string;
  /**
   * Limit for each child process (sox, then the decoder). By default sox gets 60 s and the
   * decoder 60 s plus three times the audio's length, as it runs near real time on one core.
   */
  timeoutMs?: number;
  /** Where the per-call scratch directory is made; the OS temp directory by default. */
  tmpDir?: string;
  /** Chain name for this instance. */
  name?: string;
}

const DEFAULT_MODEL_DIR = '/usr/share/pocketsphinx/model/en-us';
const BASE_TIMEOUT_MS = 60_000;
const TIMEOUT_PER_AUDIO_SECOND_MS = 3_000;
/**
 * Posterior used for a word when the decoder prints none (builds without `-time` posteriors
 * print three columns); neutral, so such transcripts are neither trusted nor discarded.
 */
const UNKNOWN_POSTERIOR = 0.5;
/** Decoder logs run to several kilobytes per utterance; this leaves room for hours of audio. */
const MAX_OUTPUT_BYTES = 64 * 1024 * 1024;

/** sox format names by MIME subtype, for inputs whose file name does not say. */
const SOX_TYPES: Readonly<Record<string, string>> = {
  wav: 'wav',
  'x-wav': 'wav',
  wave: 'wav',
  'vnd.wave': 'wav',
  mpeg: 'mp3',
  mp3: 'mp3',
  flac: 'flac',
  'x-flac': 'flac',
  ogg: 'ogg',
  basic: 'au',
  aiff: 'aiff',
  'x-aiff': 'aiff',
  amr: 'amr-nb',
};

/**
 * Local, offline speech-to-text with CMU pocketsphinx: no key, no network, no cost, and much
 * lower accuracy than the vendors, so it is the chain's last resort. Each call works in its
 * own scratch directory, which is removed however the call ends.
 */
export class PocketsphinxProvider implements SttProvider {
  readonly name: string;
  private readonly binary: string;
  private readonly soxBinary: string;
  private readonly modelDir: string;
  private readonly language: string;
  private readonly timeoutMs: number | undefined;
  private readonly tmpDir: string | undefined;

  constructor(opts: PocketsphinxOptions = {}) {
    this.name = opts.name ?? 'pocketsphinx';
    this.binary = opts.binary ?? 'pocketsphinx_continuous';
    this.soxBinary = opts.soxBinary ?? 'sox';
    this.modelDir = opts.modelDir ?? DEFAULT_MODEL_DIR;
    this.language = opts.language ?? 'en';
    this.timeoutMs = opts.timeoutMs;
    this.tmpDir = opts.tmpDir;
  }

  async transcribe(input: AudioInput, opts: { signal?: AbortSignal } = {}): Promise<Transcript> {
    const started = performance.now();
    const dir = await mkdtemp(join(this.tmpDir ?? tmpdir(), 'frontdesk-stt-'));
    try {
      const wavPath = join(dir, 'decode.wav');
      let format = readWavFormat(input.audio);
      if (isDecoderReady(format, input.audio)) {
        await writeFile(wavPath, input.audio);
      } else {
        const sourceType = format ? 'wav' : soxType(input);
        const sourcePath = join(dir, 'source');
        await writeFile(sourcePath, input.audio);
        await this.run(
          'sox',
          this.soxBinary,
          // -R: fixed dither seed, so the same input always decodes to the same words.
          [
            '-R',
            ...(sourceType ? ['-t', sourceType] : []),
            sourcePath,
            '-r',
            '16000',
            '-c',
            '1',
            '-b',
            '16',
            '-e',
            'signed-integer',
            wavPath,
          ],
          this.timeoutMs ?? BASE_TIMEOUT_MS,
          opts.signal,
        );
        format = await readWavHeader(wavPath);
      }
      const durationSeconds = format?.durationSeconds ?? null;
      const { stdout } = await this.run(
        'decoder',
        this.binary,
        ['-infile', wavPath, '-time', 'yes', ...(await this.modelArgs())],
        this.timeoutMs ?? BASE_TIMEOUT_MS + Math.ceil(TIMEOUT_PER_AUDIO_SECOND_MS * (durationSeconds ?? 0)),
        opts.signal,
      );
      const segments = parseDecoderOutput(stdout);
      const words = segments.flatMap((s) => s.words);
      return {
        text: segments.map((s) => s.text).join(' '),
        confidence: words.length === 0 ? 0 : words.reduce((sum, w) => sum + w.posterior, 0) / words.length,
        segments: segments.map(({ words: _words, ...segment }) => segment),
        language: this.language,
        durationSeconds,
        provider: this.name,
        model: basename(this.modelDir),
        latencyMs: Math.round(performance.now() - started),
        costUsd: 0,
      };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  private async modelArgs(): Promise<string[]> {
    const hmm = join(this.modelDir, 'en-us');
    const lm = join(this.modelDir, 'en-us.lm.bin');
    const dict = join(this.modelDir, 'cmudict-en-us.dict');
    const present = await Promise.all([hmm, lm, dict].map((path) => exists(path)));
    return present.every(Boolean) ? ['-hmm', hmm, '-lm', lm, '-dict', dict] : [];
  }

  /**
   * Runs a child process and settles only once it has exited, so a timeout or an abort never
   * leaves a decoder running after the call has returned.
   */
  private run(
    step: 'sox' | 'decoder',
    file: string,
    args: string[],
    timeoutMs: number,
    signal: AbortSignal | undefined,
  ): Promise<{ stdout: string }> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) {
        reject(new SttError('transcription aborted by the caller', this.name, true, { cause: signal.reason }));
        return;
      }
      let result:
        { err: (Error & { code?: unknown; killed?: boolean }) | null; stdout: string; stderr: string } | undefined;
      let exited = false;
      const settle = (): void => {
        if (!result || !exited) return;
        const { err, stdout, stderr } = result;
        if (!err) resolve({ stdout });
        else reject(this.toSttError(step, file, err, stderr, timeoutMs, signal));
      };
      // SIGKILL: neither sox nor the decoder has anything worth flushing once its result is unwanted.
      const child = execFile(
        file,
        args,
        { timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: MAX_OUTPUT_BYTES, ...(signal ? { signal } : {}) },
        (err, stdout, stderr) => {
          result = { err, stdout, stderr };
          // A binary that never started emits no 'exit'.
          if (child.pid === undefined) exited = true;
          settle();
        },
      );
      child.once('exit', () => {
        exited = true;
        settle();
      });
    });
  }

  private toSttError(
    step: 'sox' | 'decoder',
    file: string,
    err: Error & { code?: unknown; killed?: boolean },
    stderr: string,
    timeoutMs: number,
    signal: AbortSignal | undefined,
  ): SttError {
    if (signal?.aborted) return new SttError('transcription aborted by the caller', this.name, true, { cause: err });
    if (err.code === 'ENOENT') return new SttError(`${file} is not installed`, this.name, false, { cause: err });
    if (err.code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER')
      return new SttError(`${step} wrote more than ${MAX_OUTPUT_BYTES} bytes`, this.name, false, { cause: err });
    if (err.killed)
      return new SttError(`${step} did not finish within ${timeoutMs} ms`, this.name, true, { cause: err });
    // The decoder logs everything to stderr; its ERROR/FATAL lines say why it gave up.
    const reason =
      stderr
        .split('\n')
        .filter((line) => /^(ERROR|FATAL|sox FAIL)/.test(line))
        .at(-1) ?? err.message;
    return new SttError(`${step} failed: ${reason.trim()}`, this.name, false, { cause: err });
  }
}

/** True when the decoder binary and sox can be started, so the app can offer local speech-to-text. */
export async function isPocketsphinxAvailable(
  opts: Pick<PocketsphinxOptions, 'binary' | 'soxBinary'> = {},
): Promise<boolean> {
  const [decoder, sox] = await Promise.all([
    canStart(opts.binary ?? 'pocketsphinx_continuous', []),
    canStart(opts.soxBinary ?? 'sox', ['--version']),
  ]);
  return decoder && sox;
}

/** Started at all: the decoder exits 1 after printing its usage when given no arguments, which is fine. */
function canStart(file: string, args: string[]): Promise<boolean> {
  return new Promise((resolve) => {
    execFile(file, args, { timeout: 10_000 }, (err) => {
      resolve(!err || (err as Error & { code?: unknown }).code !== 'ENOENT');
    });
  });
}

/**
 * 16 kHz mono 16-bit PCM, the one layout the en-us model decodes, in the canonical 44-byte
 * header: the decoder skips exactly 44 bytes, so any other header goes through sox as well.
 */
function isDecoderReady(format: WavFormat | null, audio: Buffer): boolean {
  return (
    format !== null &&
    format.audioFormat === 1 &&
    format.sampleRate === 16_000 &&
    format.channels === 1 &&
    format.bitsPerSample === 16 &&
    audio.toString('ascii', 36, 40) === 'data'
  );
}

/** The header of a converted file without reading its samples, which run to 115 MB an hour. */
async function readWavHeader(path: string): Promise<WavFormat | null> {
  const file = await open(path);
  try {
    const { size } = await file.stat();
    const head = Buffer.alloc(Math.min(size, 4096));
    await file.read(head, 0, head.length, 0);
    return readWavFormat(head, size);
  } finally {
    await file.close();
  }
}

/** The file name's extension when it has one, else the MIME subtype; null lets sox detect the format from the header. */
function soxType(input: AudioInput): string | null {
  const fromName = input.fileName ? extname(input.fileName).slice(1).toLowerCase() : '';
  if (fromName) return fromName;
  const subtype = input.mimeType.split(';')[0]?.trim().toLowerCase().split('/')[1] ?? '';
  return SOX_TYPES[subtype] ?? null;
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

interface DecodedWord {
  word: string;
  start: number;
  end: number;
  posterior: number;
}

/** `<s>`, `</s>`, `<sil>`, `[NOISE]`, `[SPEECH]` and `++…++` fillers: timing marks, not words. */
const FILLER = /^(<.*>|\[.*\]|\+\+.*\+\+)$/;
/** `word start end [posterior]`, as `-time yes` prints each word of the hypothesis. */
const WORD_LINE = /^(\S+) (\d+(?:\.\d+)?) (\d+(?:\.\d+)?)(?: (\d+(?:\.\d+)?))?$/;

/**
 * `pocketsphinx_continuous -time yes` prints, per utterance, the hypothesis line and then
 * one line per word with its start, end and posterior probability. Each utterance with real
 * words becomes a segment spanning them; alternative pronunciations (`the(2)`) are folded.
 */
export function parseDecoderOutput(stdout: string): (SpeakerSegment & { words: DecodedWord[] })[] {
  const utterances: { hypothesis: string; words: DecodedWord[] }[] = [];
  for (const line of stdout.split('\n')) {
    const match = WORD_LINE.exec(line.trim());
    const current = utterances.at(-1);
    if (match && current) {
      const [, token = '', start = '0', end = '0', posterior] = match;
      if (FILLER.test(token)) continue;
      current.words.push({
        word: token.replace(/\(\d+\)$/, ''),
        start: Number(start),
        end: Number(end),
        // Posteriors come out of log space with rounding and can read a hair above 1.
        posterior: posterior === undefined ? UNKNOWN_POSTERIOR : Math.min(1, Number(posterior)),
      });
    } else if (!match) {
      // Anything else is the next hypothesis line, empty when the utterance held no speech.
      utterances.push({ hypothesis: line.trim(), words: [] });
    }
  }
  return utterances.flatMap(({ hypothesis, words }) => {
    const first = words[0];
    const last = words.at(-1);
    if (!first || !last) return [];
    return [
      {
        speaker: 'speaker_0',
        start: first.start,
        end: last.end,
        text: hypothesis || words.map((w) => w.word).join(' '),
        confidence: words.reduce((sum, w) => sum + w.posterior, 0) / words.length,
        words,
      },
    ];
  });
}
