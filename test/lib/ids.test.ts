import { describe, expect, it } from 'vitest';
import { newId } from '../../src/lib/ids.js';

describe('newId', () => {
  it('sorts ids made in one millisecond in the order they were made', () => {
    const now = Date.now();
    const ids = Array.from({ length: 500 }, () => newId('usr', now));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('sorts by time first: a later millisecond sorts after, whatever the random part', () => {
    const earlier = newId('lead', 1_700_000_000_000);
    const later = newId('lead', 1_700_000_000_001);
    expect(earlier < later).toBe(true);
    expect(earlier).toMatch(/^lead_[0-9a-hjkmnp-tv-z]{26}$/);
  });
});
