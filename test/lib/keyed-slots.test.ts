import { describe, expect, it } from 'vitest';
import { KeyedSlots } from '../../src/lib/keyed-slots.js';

describe('KeyedSlots', () => {
  it('gives a tenant at most its limit of slots, and names the tenants that have them all', () => {
    const slots = new KeyedSlots(2);
    expect([slots.take('ten_a'), slots.take('ten_a'), slots.take('ten_a')]).toEqual([true, true, false]);
    expect(slots.take('ten_b')).toBe(true);
    expect(slots.full()).toEqual(['ten_a']);
    slots.give('ten_a');
    expect(slots.full()).toEqual([]);
    expect(slots.take('ten_a')).toBe(true);
  });

  it('never holds back jobs without a tenant', () => {
    const slots = new KeyedSlots(1);
    expect([slots.take(null), slots.take(null), slots.take(null)]).toEqual([true, true, true]);
    slots.give(null);
    expect(slots.full()).toEqual([]);
  });
});
