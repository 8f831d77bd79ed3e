import { describe, expect, it } from 'vitest';
import { readWavFormat } from '../../../src/providers/stt/wav.js';
import { makeToneWav } from '../../helpers/audio.js';

describe('readWavFormat', () => {
  it('reads the layout and duration of a PCM WAV', () => {
    expect(readWavFormat(makeToneWav(2.5, 22_050))).toEqual({
      audioFormat: 1,
      channels: 1,
      sampleRate: 22_050,
      bitsPerSample: 16,
      durationSeconds: 2.5,
    });
  });

  it('walks past chunks that encoders put before the data', () => {
    const plain = makeToneWav(1);
    const list = Buffer.concat([
      Buffer.from('LIST'),
      Buffer.from([5, 0, 0, 0]),
      Buffer.from('INFOx'),
      Buffer.from([0]),
    ]);
    const withList = Buffer.concat([plain.subarray(0, 36), list, plain.subarray(36)]);

    expect(readWavFormat(withList)).toMatchObject({ sampleRate: 16_000, durationSeconds: 1 });
  });

  it('caps a placeholder data size at the bytes really present', () => {
    const streamed = makeToneWav(1);
    streamed.writeUInt32LE(0x7fffffff, 40);

    expect(readWavFormat(streamed)?.durationSeconds).toBe(1);
  });

  it('takes the duration from the whole file size when given only the header', () => {
    const wav = makeToneWav(3);

    expect(readWavFormat(wav.subarray(0, 64), wav.length)?.durationSeconds).toBe(3);
  });

  it('reads the duration of compressed WAVs: GSM 6.10 from its fact chunk, MP3-in-WAV from its byte rate', () => {
    // GSM 6.10 at 8 kHz: 65-byte blocks of 320 samples, 1,625 bytes a second, no bits per sample.
    const gsm = compressedWav({
      format: 0x31,
      sampleRate: 8_000,
      avgBytesPerSecond: 1_625,
      blockAlign: 65,
      factSamples: 16_000,
      dataBytes: 3_250,
    });
    expect(readWavFormat(gsm)).toMatchObject({ audioFormat: 0x31, bitsPerSample: 0, durationSeconds: 2 });
    // MP3 at 128 kbit/s inside a RIFF wrapper, without a fact chunk.
    const mp3 = compressedWav({
      format: 0x55,
      sampleRate: 44_100,
      avgBytesPerSecond: 16_000,
      blockAlign: 1,
      factSamples: null,
      dataBytes: 48_000,
    });
    expect(readWavFormat(mp3)).toMatchObject({ audioFormat: 0x55, durationSeconds: 3 });
  });

  it('returns null for bytes that are not a WAV file', () => {
    expect(readWavFormat(Buffer.from('ID3\u0004 an mp3 file'))).toBeNull();
    expect(readWavFormat(makeToneWav(1).subarray(0, 36))).toBeNull();
  });
});

/** A RIFF/WAVE file with a compressed format's header (bits per sample 0), an optional fact chunk and silent data. */
function compressedWav(o: {
  format: number;
  sampleRate: number;
  avgBytesPerSecond: number;
  blockAlign: number;
  factSamples: number | null;
  dataBytes: number;
}): Buffer {
  const fmt = Buffer.alloc(8 + 20);
  fmt.write('fmt ', 0, 'ascii');
  fmt.writeUInt32LE(20, 4);
  fmt.writeUInt16LE(o.format, 8);
  fmt.writeUInt16LE(1, 10);
  fmt.writeUInt32LE(o.sampleRate, 12);
  fmt.writeUInt32LE(o.avgBytesPerSecond, 16);
  fmt.writeUInt16LE(o.blockAlign, 20);
  fmt.writeUInt16LE(0, 22);
  fmt.writeUInt16LE(2, 24);
  fmt.writeUInt16LE(320, 26);
  const fact = Buffer.alloc(o.factSamples === null ? 0 : 12);
  if (o.factSamples !== null) {
    fact.write('fact', 0, 'ascii');
    fact.writeUInt32LE(4, 4);
    fact.writeUInt32LE(o.factSamples, 8);
  }
  const data = Buffer.alloc(8 + o.dataBytes);
  data.write('data', 0, 'ascii');
  data.writeUInt32LE(o.dataBytes, 4);
  const riff = Buffer.alloc(12);
  riff.write('RIFF', 0, 'ascii');
  riff.writeUInt32LE(4 + fmt.length + fact.length + data.length, 4);
  riff.write('WAVE', 8, 'ascii');
  return Buffer.concat([riff, fmt, fact, data]);
}
