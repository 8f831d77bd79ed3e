import { describe, expect, it } from 'vitest';
import { readText } from '../../../src/engine/signals/nlp.js';

const negatedWords = (text: string) =>
  readText(text)
    .tokens.filter((t) => t.negated)
    .map((t) => t.norm);

describe('readText', () => {
  it('gives lemmas, so "licenses" and "approved" read as "license" and "approve"', () => {
    const lemmas = readText('Board approved 40 licenses').tokens.map((t) => t.lemma);
    expect(lemmas).toEqual(['board', 'approve', '40', 'license']);
  });

  it('reads a sentence-final word the tokenizer took for an abbreviation as the word', () => {
    const last = readText("Water's getting in.").tokens.at(-1);
    expect({ text: last?.text, lemma: last?.lemma }).toEqual({ text: 'in.', lemma: 'in' });
  });

  it('scopes a negation to its clause', () => {
    expect(negatedWords("I'm not looking to buy, we need it now")).toEqual(['looking', 'to', 'buy']);
  });

  it('scopes a sentence-initial "Not", which the model alone misses', () => {
    expect(negatedWords('Not just browsing. We need it')).toEqual(['just', 'browsing']);
  });

  it('reads "not sure if we need" as doubt, not a negated need', () => {
    expect(negatedWords("I'm not sure if we need probate")).toEqual([]);
  });

  it('counts the words of meaning, so "test test asdf" is little', () => {
    expect(readText('test test asdf').contentWords).toBeLessThanOrEqual(2);
    expect(readText('Our roof is leaking over the kitchen').contentWords).toBeGreaterThan(2);
  });
});
