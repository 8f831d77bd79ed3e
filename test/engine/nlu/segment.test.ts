import { describe, expect, it } from 'vitest';
import { segmentText, withoutOpeners } from '../../../src/engine/nlu/segment.js';

describe('segmentText', () => {
  it("keeps only the caller's turns of a labelled transcript", () => {
    const { customerText } = segmentText(
      'Agent: Summit Home Pros, this is Mike. Caller: Hi Mike. My roof leaks. Agent: Sorry to hear it.',
    );
    expect(customerText).toBe('Hi Mike. My roof leaks.');
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
