import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  PocketsphinxProvider,
  isPocketsphinxAvailable,
  parseDecoderOutput,
} from '../../../src/providers/stt/pocketsphinx.js';
import { SttError } from '../../../src/providers/stt/stt.js';
import { readWavFormat } from '../../../src/providers/stt/wav.js';
import { hasAudioTools, makeSpeechWav } from '../../helpers/audio.js';

const SENTENCE = 'I need a new roof on my house and my budget is fifteen thousand dollars';
/** Words the decoder gets right from this sentence; it mishears "need a new roof" ("i'm a tough"). */
const KEY_WORDS = ['house', 'budget', 'fifteen', 'thousand', 'dollars'];
/**
 * espeak-ng's default voice sounds too little like people for the en-us acoustic model (it
 * hears only "thousand dollars"); the Klatt formant voice is close enough for most words.
 */
const VOICE = 'en-us+klatt2';

/** Real `-time yes` output for two utterances, the second one after a pause, and for silence. */
const TWO_UTTERANCES = `i'm a tough on my house
<s> 0.000 0.020 0.999400
i'm 0.030 0.140 0.163424
a(2) 0.150 0.280 0.346379
tough 0.290 0.810 0.457952
on 0.820 0.980 0.696323
my 0.990 1.120 0.757879
house 1.130 1.470 0.711956
<sil> 1.480 1.650 1.000000
</s> 1.660 1.920 1.000000
my budget is it seems thousand dollars
<s> 2.840 2.920 0.999800
my 2.930 3.100 0.703814
budget 3.110 3.460 0.231640
[NOISE] 3.470 3.480 0.500000
thousand 4.080 4.500 1.000200
dollars 4.510 4.970 0.672976
</s> 4.980 5.250 1.000000

<s> 5.300 5.800 1.000000
</s> 5.810 6.320 1.000000
`;

describe('parseDecoderOutput', () => {
  it('makes one segment per utterance from its words, skipping fillers and empty utterances', () => {
    const segments = parseDecoderOutput(TWO_UTTERANCES);

    expect(segments.map(({ words: _words, ...s }) => s)).toEqual([
      {
        speaker: 'speaker_0',
        start: 0.03,
        end: 1.47,
        text: "i'm a tough on my house",
        confidence: expect.closeTo(0.5223, 4),
      },
      {
        speaker: 'speaker_0',
        start: 2.93,
        end: 4.97,
        text: 'my budget is it seems thousand dollars',
        confidence: expect.closeTo(0.6521, 4),
      },
    ]);
    expect(segments[0]?.words[1]).toEqual({ word: 'a', start: 0.15, end: 0.28, posterior: 0.346379 });
    expect(segments[1]?.words.map((w) => w.word)).toEqual(['my', 'budget', 'thousand', 'dollars']);
    expect(segments[1]?.words[2]?.posterior).toBe(1);
  });

  it('uses a neutral confidence when the decoder prints no posteriors', () => {
    expect(
      parseDecoderOutput('hello world\n<s> 0.000 0.100\nhello 0.110 0.400\nworld 0.410 0.900\n</s> 0.910 1.000\n'),
    ).toMatchObject([{ text: 'hello world', start: 0.11, end: 0.9, confidence: 0.5 }]);
  });

  it('returns no segments for silence', () => {
    expect(parseDecoderOutput('\n<s> 0.000 0.500 1.000000\n</s> 0.510 1.020 1.000000\n')).toEqual([]);
  });
});

const tools = await hasAudioTools();

describe.skipIf(!tools.available)(
  `PocketsphinxProvider on espeak-ng speech ${tools.reason}`.trim(),
  { timeout: 180_000 },
  () => {
    let speech16k: Buffer;
    let speech22k: Buffer;
    let scratch: string;
    beforeAll(async () => {
      [speech16k, speech22k] = await Promise.all([
        makeSpeechWav(SENTENCE, { voice: VOICE }),
        makeSpeechWav(SENTENCE, { voice: VOICE, raw: true }),
      ]);
      scratch = await mkdtemp(join(tmpdir(), 'frontdesk-stt-test-'));
    });
    afterAll(async () => {
      await rm(scratch, { recursive: true, force: true });
    });

    it('is reported available', async () => {
      expect(await isPocketsphinxAvailable()).toBe(true);
      expect(await isPocketsphinxAvailable({ binary: 'pocketsphinx_missing' })).toBe(false);
    });

    it('transcribes a 16 kHz sentence as it is, without sox, into one timed segment', async () => {
      // A missing sox proves the input went to the decoder unconverted.
      const transcript = await new PocketsphinxProvider({ soxBinary: 'sox_missing', tmpDir: scratch }).transcribe({
        audio: speech16k,
        mimeType: 'audio/wav',
      });

      const words = transcript.text.split(' ');
      expect(KEY_WORDS.filter((w) => words.includes(w)).length).toBeGreaterThanOrEqual(3);
      expect(transcript).toMatchObject({ provider: 'pocketsphinx', model: 'en-us', language: 'en', costUsd: 0 });
      expect(transcript.durationSeconds).toBeCloseTo(4.02, 2);
      expect(transcript.confidence).toBeGreaterThan(0);
      expect(transcript.confidence).toBeLessThanOrEqual(1);
      expect(transcript.segments).toHaveLength(1);
      expect(transcript.segments[0]).toMatchObject({ speaker: 'speaker_0', text: transcript.text });
      expect(transcript.segments[0]?.start).toBeLessThan(0.5);
      expect(transcript.segments[0]?.end).toBeGreaterThan(3);
      expect(await readdir(scratch)).toEqual([]);
    });

    it("converts espeak-ng's 22 kHz output to 16 kHz itself", async () => {
      expect(readWavFormat(speech22k)?.sampleRate).toBe(22_050);
      const transcript = await new PocketsphinxProvider({ tmpDir: scratch }).transcribe({
        audio: speech22k,
        mimeType: 'audio/x-wav',
      });

      const words = transcript.text.split(' ');
      expect(KEY_WORDS.filter((w) => words.includes(w)).length).toBeGreaterThanOrEqual(3);
      expect(transcript.durationSeconds).toBeCloseTo(4.02, 2);
      expect(await readdir(scratch)).toEqual([]);
    });

    it('splits speech at a pause into two utterances with their own timings', async () => {
      const audio = await makeSpeechWav(
        '<speak>I need a new roof on my house.<break time="1500ms"/>My budget is fifteen thousand dollars.</speak>',
        { voice: VOICE, ssml: true },
      );
      const transcript = await new PocketsphinxProvider().transcribe({ audio, mimeType: 'audio/wav' });

      expect(transcript.segments).toHaveLength(2);
      const [first, second] = transcript.segments;
      expect(first?.text).toContain('house');
      expect(second?.text).toContain('thousand');
      expect(second?.start).toBeGreaterThan(first?.end ?? Infinity);
      expect(transcript.text).toBe(`${first?.text} ${second?.text}`);
    });

    it('kills the decoder when the timeout passes, and cleans up', async () => {
      const started = Date.now();
      const err = await new PocketsphinxProvider({ timeoutMs: 300, tmpDir: scratch })
        .transcribe({ audio: speech16k, mimeType: 'audio/wav' })
        .catch((e: unknown) => e);

      expect(err).toBeInstanceOf(SttError);
      expect(err).toMatchObject({
        provider: 'pocketsphinx',
        retryable: true,
        message: 'decoder did not finish within 300 ms',
      });
      expect(Date.now() - started).toBeLessThan(2_000);
      expect(await processesMentioning(scratch)).toEqual([]);
      expect(await readdir(scratch)).toEqual([]);
    });

    it('kills the running decoder when the caller aborts, and cleans up', async () => {
      const controller = new AbortController();
      const pending = new PocketsphinxProvider({ tmpDir: scratch }).transcribe(
        { audio: speech16k, mimeType: 'audio/wav' },
        { signal: controller.signal },
      );
      const outcome = pending.catch((e: unknown) => e);
      // Abort only once the decoder is really running, so the test proves it gets killed.
      await waitFor(async () => (await processesMentioning(scratch)).length > 0);
      controller.abort();

      expect(await outcome).toMatchObject({ retryable: true, message: 'transcription aborted by the caller' });
      expect(await processesMentioning(scratch)).toEqual([]);
      expect(await readdir(scratch)).toEqual([]);
    });

    it('reports audio that neither sox nor the decoder can read as not retryable', async () => {
      await expect(
        new PocketsphinxProvider({ tmpDir: scratch }).transcribe({
          audio: Buffer.from('not audio at all'),
          mimeType: 'audio/wav',
        }),
      ).rejects.toMatchObject({
        retryable: false,
        message: expect.stringMatching(/^sox failed: sox FAIL/),
      });
      expect(await readdir(scratch)).toEqual([]);
    });

    it('reports a missing decoder as not retryable', async () => {
      await expect(
        new PocketsphinxProvider({ binary: 'pocketsphinx_missing' }).transcribe({
          audio: speech16k,
          mimeType: 'audio/wav',
        }),
      ).rejects.toMatchObject({
        retryable: false,
        message: 'pocketsphinx_missing is not installed',
      });
    });
  },
);

/** Command lines of live processes that name `path`, from /proc. */
async function processesMentioning(path: string): Promise<string[]> {
  const found: string[] = [];
  for (const pid of (await readdir('/proc')).filter((name) => /^\d+$/.test(name))) {
    // A process can exit between the listing and the read.
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    if (cmdline.includes(path)) found.push(cmdline.replaceAll('\0', ' ').trim());
  }
  return found;
}

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
