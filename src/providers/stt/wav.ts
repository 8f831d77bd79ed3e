/** What a RIFF/WAVE header says about the samples that follow it. */
export interface WavFormat {
  /** 1 is integer PCM, 3 float, 6/7 A-law/μ-law, 0xFFFE "extensible" (the real code is in a sub-format). */
  audioFormat: number;
  channels: number;
  sampleRate: number;
  bitsPerSample: number;
  durationSeconds: number;
}

/**
 * Reads the `fmt ` and `data` chunks of a WAV file, or returns null when the bytes are not
 * one. Chunks are walked rather than read at fixed offsets because encoders put `LIST`,
 * `fact` or padding chunks before `data`. A streaming writer that did not know the length
 * (espeak-ng on stdout, some telephony exports) leaves a placeholder size, so the data size
 * is capped at what the file really holds.
 *
 * `fileBytes` is the size of the whole file when `buf` holds only its beginning.
 */
export function readWavFormat(buf: Buffer, fileBytes = buf.length): WavFormat | null {
  if (buf.length < 12 || buf.toString('ascii', 0, 4) !== 'RIFF' || buf.toString('ascii', 8, 12) !== 'WAVE') return null;
  let fmt: Omit<WavFormat, 'durationSeconds'> | null = null;
  // Compressed formats (GSM 6.10, MP3, ADPCM) have no bits per sample; their header gives bytes per second instead.
  let avgBytesPerSecond = 0;
  let factSamples: number | null = null;
  let offset = 12;
  while (offset + 8 <= buf.length) {
    const id = buf.toString('ascii', offset, offset + 4);
    const size = buf.readUInt32LE(offset + 4);
    const body = offset + 8;
    if (id === 'fmt ' && body + 16 <= buf.length) {
      fmt = {
        audioFormat: buf.readUInt16LE(body),
        channels: buf.readUInt16LE(body + 2),
        sampleRate: buf.readUInt32LE(body + 4),
        bitsPerSample: buf.readUInt16LE(body + 14),
      };
      avgBytesPerSecond = buf.readUInt32LE(body + 8);
    } else if (id === 'fact' && body + 4 <= buf.length) {
      factSamples = buf.readUInt32LE(body);
    } else if (id === 'data') {
      if (!fmt) return null;
      return {
        ...fmt,
        durationSeconds: durationOf(fmt, Math.min(size, fileBytes - body), avgBytesPerSecond, factSamples),
      };
    }
    // Chunks are word-aligned: an odd size is followed by one pad byte.
    offset = body + size + (size % 2);
  }
  return null;
}

/** PCM from its sample layout; a compressed format from its `fact` sample count, else from its byte rate. */
function durationOf(
  fmt: Omit<WavFormat, 'durationSeconds'>,
  dataBytes: number,
  avgBytesPerSecond: number,
  factSamples: number | null,
): number {
  const pcmBytesPerSecond = fmt.sampleRate * fmt.channels * (fmt.bitsPerSample / 8);
  if (pcmBytesPerSecond > 0) return dataBytes / pcmBytesPerSecond;
  if (factSamples !== null && factSamples > 0 && fmt.sampleRate > 0) return factSamples / fmt.sampleRate;
  return avgBytesPerSecond > 0 ? dataBytes / avgBytesPerSecond : 0;
}
