import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isWav, MAX_TTS_CHARS, TtsError, type Speech, type TtsProvider } from './tts.js';

const TIMEOUT_MS = 30_000;

/** How a local synthesiser is started: it reads the text from `input` and writes a WAV to `output`. */
interface LocalSynth {
  name: string;
  binary: string;
  args(input: string, output: string): string[];
}

/**
 * Festival's `text2wave` with the CMU SLT HTS voice (Debian `festvox-us-slt-hts`): the most natural
 * of the offline voices, so it is tried first.
 */
export const FESTIVAL: LocalSynth = {
  name: 'festival',
  binary: 'text2wave',
  args: (input, output) => ['-eval', '(voice_cmu_us_slt_arctic_hts)', '-o', output, input],
};

/** espeak-ng: robotic but small and nearly always present, the last resort. */
export const ESPEAK_NG: LocalSynth = {
  name: 'espeak-ng',
  binary: 'espeak-ng',
  args: (input, output) => ['-f', input, '-w', output],
};

/** Runs the synthesiser; a failure becomes a `TtsError` that says why (not installed, or its own complaint). */
function run(synth: LocalSynth, args: string[], signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(synth.binary, args, { timeout: TIMEOUT_MS, ...(signal ? { signal } : {}) }, (err, _stdout, stderr) => {
      if (!err) return resolve();
      const reason = err.code === 'ENOENT' ? `${synth.binary} is not installed` : String(stderr).trim() || err.message;
      reject(new TtsError(reason.slice(0, 300), synth.name, { cause: err }));
    });
  });
}

/**
 * A synthesiser run as a child process. The text goes through a file, never the command line,
 * so nothing a caller says can become an argument; each call has its own scratch directory.
 */
export class LocalSynthProvider implements TtsProvider {
  readonly name: string;

  constructor(private readonly synth: LocalSynth) {
    this.name = synth.name;
  }

  async synthesize(text: string, opts: { signal?: AbortSignal } = {}): Promise<Speech> {
    const dir = await mkdtemp(join(tmpdir(), `fd-tts-${this.name}-`));
    try {
      const input = join(dir, 'reply.txt');
      const output = join(dir, 'reply.wav');
      await writeFile(input, text.slice(0, MAX_TTS_CHARS));
      await run(this.synth, this.synth.args(input, output), opts.signal);
      const wav = await readFile(output).catch(() => Buffer.alloc(0));
      if (!isWav(wav)) throw new TtsError(`${this.synth.binary} wrote no WAV audio`, this.name);
      return { wav, provider: this.name };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
}

/** True when the synthesiser can be started (and, for festival, has the SLT voice). */
export function isLocalSynthAvailable(synth: LocalSynth): Promise<boolean> {
  const probe: [string, string[]] =
    synth === FESTIVAL ? ['festival', ['--batch', '(voice_cmu_us_slt_arctic_hts)']] : [synth.binary, ['--version']];
  return new Promise((resolve) => {
    execFile(probe[0], probe[1], { timeout: 15_000 }, (err) => resolve(!err));
  });
}
