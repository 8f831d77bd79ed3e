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
    } else if (id === 'data') {
      if (!fmt) return null;
      const bytesPerSecond = fmt.sampleRate * fmt.channels * (fmt.bitsPerSample / 8);
      const dataBytes = Math.min(size, fileBytes - body);
      return { ...fmt, durationSeconds: bytesPerSecond > 0 ? dataBytes / bytesPerSecond : 0 };
    }
    // Chunks are word-aligned: an odd size is followed by one pad byte.
    offset = body + size + (size % 2);
  }
  return null;
}

