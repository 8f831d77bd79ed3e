import { describe, expect, it } from 'vitest';
import { signalsOf } from './signals.fixtures.js';

describe('purchase-process signals', () => {
  it.each([
    ['Who do I send the PO to?', 'po'],
    ['Please send the order form', 'order form'],
    ['Send the contract over', 'contract'],
    ["Let's do a paid pilot", 'paid pilot'],
    ['We accept, what is the deposit?', 'we accept'],
  ])('reads a purchase step in "%s"', (text, step) => {
    expect(signalsOf(text).process.purchase?.text).toBe(step);
  });

  it.each([
    ['We accept the revised quote, when can you start?', 'we accept'],
    ['Please send over the contract and the earliest date', 'send over the contract'],
    ["I've signed the listing agreement you sent", 'signed the'],
    ['Purchase order 44817 has been issued for the racking', 'purchase order 44817 has been issued'],
    ["We're ready to go ahead. What do we sign?", 'ready to go ahead'],
    ["starting monday, how do I pay? I'm ready", 'how do i pay'],
    ['Deposit was paid on the 2nd, when does the crew come?', 'deposit was paid'],
    ['PO 5521 went to your accounts team yesterday', 'po 5521 went to'],
    ['Budget is signed off, please proceed. PO to follow.', 'please proceed'],
    ['Attached purchase order for 300 units per your quote', 'attached purchase order'],
    ['The deposit was sent yesterday, when do you start?', 'deposit was sent'],
    ['Signed agreement attached, financing approved', 'signed agreement'],
    ['Looks right to me, go ahead and order the panels', 'go ahead and order'],
    ["Agent: It's $40 a night. Caller: Great, we'll take the room for both nights", "we 'll take the"],
  ])('reads a purchase under way in "%s"', (text, step) => {
    expect(signalsOf(text).process.underway?.text).toBe(step);
  });

  it('does not read a contract or a signature merely mentioned, or refused, as a purchase under way', () => {
    for (const text of [
      "What's in your standard contract?",
      'We are not ready to sign anything',
      'I signed up for the newsletter',
    ])
      expect(signalsOf(text).process.underway).toBeNull();
  });

  it('reads a signed quote as a purchase under way, and collecting several quotes as comparing', () => {
    expect(signalsOf('Signed quote #4471 attached. Please schedule the install.').process.underway).not.toBeNull();
    expect(signalsOf("we're getting three quotes and we'd do it in the spring").process.comparing).not.toBeNull();
    expect(signalsOf('can I get a quote for the install?').process.comparing).toBeNull();
  });

  it('reads pricing, contact and service questions', () => {
    expect(signalsOf('Send me a quote').process.pricing?.text).toBe('quote');
    expect(signalsOf('please call me back').process.contact).not.toBeNull();
    expect(signalsOf('do u guys do flat roofs?').process.service?.text).toBe('do u guys do');
  });
});
