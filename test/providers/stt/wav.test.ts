import { describe, expect, it } from 'vitest';
import { readWavFormat } from '../../../src/providers/stt/wav.js';
import { makeToneWav } from '../../helpers/audio.js';

describe('readWavFormat', () => {
  it('reads the layout and duration of a PCM WAV', () => {
    expect(readWavFormat(makeToneWav(2.5, 22_050))).toEqual({ audioFormat: 1, channels: 1, sampleRate: 22_050, bitsPerSample: 16, durationSeconds: 2.5 });
  });

  it('walks past chunks that encoders put before the data', () => {
    const plain = makeToneWav(1);
    const list = Buffer.concat([Buffer.from('LIST'), Buffer.from([5, 0, 0, 0]), Buffer.from('INFOx'), Buffer.from([0])]);
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

  it('returns null for bytes that are not a WAV file', () => {
    expect(readWavFormat(Buffer.from('ID3\u0004 an mp3 file'))).toBeNull();
    expect(readWavFormat(makeToneWav(1).subarray(0, 36))).toBeNull();
  });
});
