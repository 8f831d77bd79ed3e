import { describe, expect, it } from 'vitest';
import { isE164Phone } from '../../src/lib/phone.js';

describe('isE164Phone', () => {
  it('takes a valid number written with its country code', () => {
    expect(isE164Phone('+14155550123')).toBe(true);
    expect(isE164Phone('+919876543210')).toBe(true);
  });

  it('refuses a national number, a short one and one no plan allows', () => {
    expect(isE164Phone('4155550123')).toBe(false);
    expect(isE164Phone('+1415')).toBe(false);
    expect(isE164Phone('+10005550123')).toBe(false);
  });
});
