import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createFingerprint, hmacSha1, hmacSha256, safeEqual } from '../../src/lib/crypto.js';

describe('safeEqual', () => {
  it('is true only for equal values, whatever their lengths', () => {
    expect(safeEqual('secret', 'secret')).toBe(true);
    expect(safeEqual('secret', 'secreT')).toBe(false);
    expect(safeEqual('secret', 'secret-and-more')).toBe(false);
    expect(safeEqual('', '')).toBe(true);
    expect(safeEqual('', 'x')).toBe(false);
    expect(safeEqual('é', Buffer.from('é', 'utf8'))).toBe(true);
    expect(safeEqual(Buffer.from([1, 2, 3]), Buffer.from([1, 2, 3]))).toBe(true);
    expect(safeEqual(Buffer.from([1, 2, 3]), Buffer.from([1, 2]))).toBe(false);
  });
});

describe('HMAC helpers', () => {
  it('MAC the parts as if concatenated', () => {
    const body = Buffer.from([0xff, 0x00, 0x7b]);
    expect(hmacSha256('k', '123.', body)).toEqual(
      createHmac('sha256', 'k')
        .update(Buffer.concat([Buffer.from('123.'), body]))
        .digest(),
    );
    expect(hmacSha1('k', body)).toEqual(createHmac('sha1', 'k').update(body).digest());
  });
});

describe('createFingerprint', () => {
  it('is stable for one master key and purpose, and differs across either', () => {
    const a = createFingerprint('master-1', 'routes');
    expect(a('tg_secret')).toBe(createFingerprint('master-1', 'routes')('tg_secret'));
    expect(a('tg_secret')).toMatch(/^[0-9a-f]{64}$/);
    expect(a('tg_secret')).not.toBe(a('tg_secret2'));
    expect(a('tg_secret')).not.toBe(createFingerprint('master-2', 'routes')('tg_secret'));
    expect(a('tg_secret')).not.toBe(createFingerprint('master-1', 'other')('tg_secret'));
  });
});
