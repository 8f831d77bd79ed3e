import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface SpeechOptions {
  /** espeak-ng voice; its default voice when omitted. */
  voice?: string;
  /** Treat the text as SSML, e.g. to put a `<break time="1500ms"/>` between two utterances. */
  ssml?: boolean;
  /** Return espeak-ng's own output (22 050 Hz) instead of resampling it to 16 kHz. */
  raw?: boolean;
}

/**
 * Real speech for tests: espeak-ng speaks the text into a WAV file, then sox makes it the
 * 16 kHz mono 16-bit WAV that telephony pipelines and pocketsphinx expect. Both tools are
 * deterministic (sox with -R), so the same text always yields the same bytes.
 */
export async function makeSpeechWav(text: string, opts: SpeechOptions = {}): Promise<Buffer> {
  const dir = await mkdtemp(join(tmpdir(), 'frontdesk-speech-'));
  try {
    const spoken = join(dir, 'espeak.wav');
    await run('espeak-ng', [
      ...(opts.voice ? ['-v', opts.voice] : []),
      ...(opts.ssml ? ['-m'] : []),
      '-w',
      spoken,
      text,
    ]);
    if (opts.raw) return await readFile(spoken);
    const resampled = join(dir, 'speech.wav');
    await run('sox', ['-R', spoken, '-r', '16000', '-c', '1', '-b', '16', '-e', 'signed-integer', resampled]);
    return await readFile(resampled);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export interface AudioTools {
  available: boolean;
  /** For the suite name, e.g. `(skipped: espeak-ng, sox not installed)`. */
  reason: string;
}

/** Whether espeak-ng, sox and pocketsphinx_continuous can all be started. */
export async function hasAudioTools(): Promise<AudioTools> {
  const tools: [string, string[]][] = [
    ['espeak-ng', ['--version']],
    ['sox', ['--version']],
    ['pocketsphinx_continuous', []],
  ];
  const started = await Promise.all(tools.map(([file, args]) => canStart(file, args)));
  const missing = tools.filter((_, i) => !started[i]).map(([file]) => file);
  return missing.length === 0
    ? { available: true, reason: '' }
    : { available: false, reason: `(skipped: ${missing.join(', ')} not installed)` };
}

/** The decoder exits 1 after printing its usage when given no arguments; only ENOENT means missing. */
async function canStart(file: string, args: string[]): Promise<boolean> {
  try {
    await run(file, args, { timeout: 10_000 });
    return true;
  } catch (err) {
    return (err as { code?: unknown }).code !== 'ENOENT';
  }
}

/**
 * A 16-bit PCM WAV of a 440 Hz tone, built in memory: audio for vendor fakes that only carry
 * the bytes, so those suites run where espeak-ng and sox are not installed.
 */
export function makeToneWav(seconds: number, sampleRate = 16_000): Buffer {
  const samples = Math.round(seconds * sampleRate);
  const wav = Buffer.alloc(44 + samples * 2);
  wav.write('RIFF', 0, 'ascii');
  wav.writeUInt32LE(36 + samples * 2, 4);
  wav.write('WAVEfmt ', 8, 'ascii');
  wav.writeUInt32LE(16, 16);
  wav.writeUInt16LE(1, 20);
  wav.writeUInt16LE(1, 22);
  wav.writeUInt32LE(sampleRate, 24);
  wav.writeUInt32LE(sampleRate * 2, 28);
  wav.writeUInt16LE(2, 32);
  wav.writeUInt16LE(16, 34);
  wav.write('data', 36, 'ascii');
  wav.writeUInt32LE(samples * 2, 40);
  for (let i = 0; i < samples; i++) {
    wav.writeInt16LE(Math.round(Math.sin((2 * Math.PI * 440 * i) / sampleRate) * 8_000), 44 + i * 2);
  }
  return wav;
}
