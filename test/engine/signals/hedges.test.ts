import { describe, expect, it } from 'vitest';
import { signalsOf } from './signals.fixtures.js';

describe('hedge and negation signals', () => {
  it('hears a refusal in a negated buying word', () => {
    expect(signalsOf('not looking to buy anything').hedges.refusal?.text).toBe('looking');
    expect(signalsOf("we don't need it").hedges.refusal?.text).toBe('need');
  });

  it('hears hedges and browsing', () => {
    expect(signalsOf('maybe someday').hedges.hedge?.text).toBe('maybe');
    expect(signalsOf('just browsing').hedges.browsing?.text).toBe('browsing');
  });

  it('does not take "not just browsing, we need it now" for browsing', () => {
    const signals = signalsOf('Not just browsing, we need it now');
    expect(signals.hedges.browsing).toBeNull();
    expect(signals.hedges.certainty).not.toBeNull();
    expect(signals.hedges.refusal).toBeNull();
  });

  it('hears a refusal only when the writer is the one refusing', () => {
    expect(signalsOf("Thanks, but we're not looking to buy").hedges.refusal).not.toBeNull();
    expect(signalsOf("It doesn't look good, the ceiling is sagging").hedges.refusal).toBeNull();
    expect(signalsOf("We don't want to wait, the basement is flooding").hedges.refusal).toBeNull();
  });

  it('hears a purchase put off, not refused, in "not switching until renewal"', () => {
    expect(signalsOf("Okay, but I'm not switching until renewal").hedges.refusal).toBeNull();
    expect(signalsOf("I don't want to give them a statement").hedges.refusal).toBeNull();
  });
});
