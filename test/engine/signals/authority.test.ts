import { describe, expect, it } from 'vitest';
import { signalsOf } from './signals.fixtures.js';

describe('authority signals', () => {
  it('reads titles, signatures, boards and owners', () => {
    expect(signalsOf("I'm the CEO").authority.title?.text).toBe('ceo');
    expect(signalsOf('I sign off on this').authority.decides).not.toBeNull();
    expect(signalsOf('Board approved the purchase yesterday').authority.decides?.text).toBe('board approved');
    expect(signalsOf('We own the home').authority.owns).not.toBeNull();
  });

  it('reads that someone else decides, including a denied authority', () => {
    expect(signalsOf('I need to check with my boss').authority.needsOther).not.toBeNull();
    expect(signalsOf("I'm not the decision maker").authority.needsOther).not.toBeNull();
    expect(signalsOf("I'm not the decision maker").authority.decides).toBeNull();
  });

  it("reads someone else's yes still to come", () => {
    expect(signalsOf("it's my landlord's place so he has to say yes first").authority.needsOther).not.toBeNull();
  });

  it('reads a renter', () => {
    expect(signalsOf('I rent my apartment').authority.renter?.text).toBe('i rent');
    expect(signalsOf("Hi, I'm a tenant at Lakeview").authority.renter?.text).toBe('tenant');
    expect(signalsOf('I am the landlord and my tenants report mice').authority.renter).toBeNull();
  });

  it('reads a caller who introduces themselves as the tenant', () => {
    expect(signalsOf('Hello, this is the tenant at 22 Oak, the heater is broken').authority.renter).not.toBeNull();
  });
});
