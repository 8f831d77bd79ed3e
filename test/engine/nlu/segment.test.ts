import { describe, expect, it } from 'vitest';
import { segmentText, withoutOpeners, withoutQuotedReply } from '../../../src/engine/nlu/segment.js';

describe('segmentText', () => {
  it("keeps only the caller's turns of a labelled transcript", () => {
    const { customerText } = segmentText(
      'Agent: Summit Home Pros, this is Mike. Caller: Hi Mike. My roof leaks. Agent: Sorry to hear it.',
    );
    expect(customerText).toBe('Hi Mike. My roof leaks.');
  });

  it('ends a short line without punctuation, so one line of a chat does not run into the next', () => {
    expect(segmentText('saw ur job ad, not applying 😅\nwe need 2 bouncy castles').customerText).toBe(
      'saw ur job ad, not applying 😅. we need 2 bouncy castles',
    );
    const wrapped =
      'We need forty licenses deployed for the whole of the science department before the\nsemester starts';
    expect(segmentText(wrapped).customerText).toBe(wrapped.replace('\n', ' '));
  });

  it('keeps the whole text when there are no speaker labels', () => {
    expect(segmentText('I need a plumber. It is urgent!').sentences).toEqual(['I need a plumber.', 'It is urgent!']);
  });

  it('keeps the whole text when no turn is the customer', () => {
    expect(segmentText('Agent: hello? Agent: anyone there?').customerText).toBe('Agent: hello? Agent: anyone there?');
  });

  it('drops the greeting or filler that opens a sentence from what is classified', () => {
    const { sentences, customerText } = segmentText(
      'Agent: Summit, this is Mike. Caller: Hi Mike, my roof leaks. Yeah hi, it is bad.',
    );
    expect(sentences).toEqual(['my roof leaks.', 'it is bad.']);
    expect(customerText).toBe('Hi Mike, my roof leaks. Yeah hi, it is bad.');
  });
});

describe('withoutQuotedReply', () => {
  it("keeps the sender's own words of a reply and drops the thread it quotes", () => {
    const reply = [
      'Thanks, we will think it over and get back to you in the new year.',
      '',
      '> On Mon, Nov 30, 2026, Dana Reyes <dana@roofco.com> wrote:',
      '> The full tear-off is $14,200 and we can start Monday. We offer 10% off if you sign this week.',
    ].join('\n');
    expect(withoutQuotedReply(reply).trim()).toBe('Thanks, we will think it over and get back to you in the new year.');
    const outlook = 'Approved, PO to follow.\n\n-----Original Message-----\nFrom: Sam\nThe quote is $8,000.';
    expect(withoutQuotedReply(outlook).trim()).toBe('Approved, PO to follow.');
    const unwrapped = 'Yes please.\nOn Tue, Dec 1, 2026 at 9:14 AM Lee <lee@x.com> wrote:\nShall we book Friday?';
    expect(withoutQuotedReply(unwrapped).trim()).toBe('Yes please.');
  });

  it('keeps a forwarded enquiry and a text that is nothing but a quote', () => {
    const forwarded = 'Can you take this one?\n---------- Forwarded message ---------\nWe need 40 chairs by Friday.';
    expect(withoutQuotedReply(forwarded)).toBe(forwarded);
    expect(withoutQuotedReply('> We need a plumber today')).toBe('> We need a plumber today');
  });
});

describe('withoutOpeners', () => {
  it('strips greetings with the name they address', () => {
    expect(withoutOpeners('Good morning Dana, we need a quote for 40 seats.')).toBe('we need a quote for 40 seats.');
  });

  it('keeps a greeting that is the whole message', () => {
    expect(withoutOpeners('Hi there!')).toBe('Hi there!');
    expect(withoutOpeners('Yes, please.')).toBe('Yes, please.');
  });

  it('keeps an opener not set off by punctuation', () => {
    expect(withoutOpeners('hello is anyone there')).toBe('hello is anyone there');
  });
});
