import { describe, expect, it } from 'vitest';
import type { Rank } from '../../../src/engine/scoring/ordinal.js';
import { readWording, trainWording, wordingTokens } from '../../../src/engine/scoring/wording.js';

const options = { l2: 0.0003, iterations: 300, learningRate: 3 };

/** Leads whose tier shows in one word each, beside words every tier uses. */
const docs = [
  'please send the contract today',
  'contract signed, send the invoice',
  'we want a quote for the roof',
  'what would a quote cost for the deck',
  'looking for work as a roofer',
  'looking for an internship this summer',
].map(wordingTokens);
const ys: Rank[] = [2, 2, 1, 1, 0, 0];

describe('the wording model', () => {
  it('reads distinct words and word pairs, numbers as one token, function words only inside pairs', () => {
    const tokens = wordingTokens('We need 40 licenses, 40 LICENSES by the 1st');
    expect(tokens).toContain('need');
    expect(tokens).toContain('licenses');
    expect(tokens).toContain('<n>');
    expect(tokens).toContain('need <n>');
    expect(tokens).toContain('by the');
    expect(tokens).not.toContain('we');
    expect(tokens).not.toContain('the');
    expect(tokens.filter((token) => token === 'licenses')).toHaveLength(1);
  });

  it('learns which way a word leans and leaves out words seen in one lead only', () => {
    const model = trainWording(docs, ys, options);
    expect(model.tokens.contract).toBeGreaterThan(0);
    expect(model.tokens.looking).toBeLessThan(0);
    expect(model.tokens.roofer).toBeUndefined();
    expect(readWording(model, wordingTokens('send the contract')).z).toBeGreaterThan(
      readWording(model, wordingTokens('looking for work')).z,
    );
  });

  it('names the words that pulled the way the lead leans, strongest first', () => {
    const model = trainWording(docs, ys, options);
    const reading = readWording(model, wordingTokens('looking for a quote'));
    expect(reading.strongest[0]).toBe(reading.z < 0 ? 'looking' : 'quote');
    expect(reading.strongest.every((token) => Math.sign(model.tokens[token] ?? 0) === Math.sign(reading.z))).toBe(true);
  });

  it('counts a long lead no more surely than a short one for repeating a word', () => {
    const model = trainWording(docs, ys, options);
    const short = readWording(model, wordingTokens('send the contract')).z;
    const padded = readWording(model, wordingTokens(`send the contract ${'and the weather is nice '.repeat(5)}`)).z;
    expect(Math.abs(padded - model.bias)).toBeLessThan(Math.abs(short - model.bias));
  });

  it('is deterministic', () => {
    expect(trainWording(docs, ys, options)).toEqual(trainWording(docs, ys, options));
  });
});
