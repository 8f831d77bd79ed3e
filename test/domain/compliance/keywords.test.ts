import { describe, expect, it } from 'vitest';
import { readConsentIntent } from '../../../src/domain/compliance/index.js';

const cases: [string, ReturnType<typeof readConsentIntent>][] = [
  ['STOP', { intent: 'opt_out', source: 'keyword' }],
  ['stop', { intent: 'opt_out', source: 'keyword' }],
  [' Stop. ', { intent: 'opt_out', source: 'keyword' }],
  ['STOPALL', { intent: 'opt_out', source: 'keyword' }],
  ['stop all', { intent: 'opt_out', source: 'keyword' }],
  ['UNSUBSCRIBE', { intent: 'opt_out', source: 'keyword' }],
  ['CANCEL', { intent: 'opt_out', source: 'keyword' }],
  ['END', { intent: 'opt_out', source: 'keyword' }],
  ['QUIT', { intent: 'opt_out', source: 'keyword' }],
  ['REVOKE', { intent: 'opt_out', source: 'keyword' }],
  ['OPTOUT', { intent: 'opt_out', source: 'keyword' }],
  ['opt out', { intent: 'opt_out', source: 'keyword' }],
  ['stop texting me', { intent: 'opt_out', source: 'phrase' }],
  ["please don't text me anymore", { intent: 'opt_out', source: 'phrase' }],
  ['Please don’t text me anymore!', { intent: 'opt_out', source: 'phrase' }],
  ['do not contact me again', { intent: 'opt_out', source: 'phrase' }],
  ['remove me from your list', { intent: 'opt_out', source: 'phrase' }],
  ['START', { intent: 'opt_in', source: 'keyword' }],
  ['UNSTOP', { intent: 'opt_in', source: 'keyword' }],
  ['yes', { intent: 'opt_in', source: 'keyword' }],
  ['HELP', { intent: 'help', source: 'keyword' }],
  ['info', { intent: 'help', source: 'keyword' }],
  ['I need help with my sink', undefined],
  ["can't stop the leak", undefined],
  ['the water will not stop', undefined],
  ['cancel my appointment', undefined],
  ['when do you start work tomorrow?', undefined],
  ['', undefined],
];

describe('readConsentIntent', () => {
  it.each(cases)('reads %j as %j', (text, expected) => {
    expect(readConsentIntent(text)).toEqual(expected);
  });

  it('treats a long message as conversation and reads it in linear time', () => {
    const hostile = `${'stop '.repeat(20_000)}texting`;
    const started = performance.now();
    expect(readConsentIntent(hostile)).toBeUndefined();
    expect(readConsentIntent('a'.repeat(400) + ' stop texting me')).toBeUndefined();
    expect(performance.now() - started).toBeLessThan(50);
  });
});
