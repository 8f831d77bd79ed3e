import { beforeAll, describe, expect, it } from 'vitest';
import type { TenantEngineContext } from '../../../src/engine/analysis.schema.js';
import { createLeadReader, createLocalEngine, type LocalEngine } from '../../../src/engine/local.js';
import { FEATURES } from '../../../src/engine/scoring/features.js';
import { loadModel, readWithModel, type LeadModel } from '../../../src/engine/scoring/model.js';

const NOW = new Date('2025-09-13T14:30:00Z');
const tenant: TenantEngineContext = { tenantId: 'tenant_model' };

describe('the learned lead scorer', () => {
  let engine: LocalEngine;

  beforeAll(async () => {
    engine = await createLocalEngine({ now: () => NOW });
  });

  it('loads the committed model for the features this build reads, and refuses a stale one', () => {
    expect(loadModel().weights.length).toBeGreaterThan(20);
    expect(() =>
      loadModel({
        features: ['old'],
        weights: [1],
        cuts: [0, 1],
        wording: { weight: 0, bias: 0, tokens: {} },
        trainedOn: {},
      }),
    ).toThrow(/npm run train/);
  });

  it.each([
    [
      'a board-approved purchase with a deadline and a PO',
      'Board approved the purchase yesterday. We need 40 licenses deployed before the semester starts on the 1st. Who do I send the PO to?',
      'HOT',
    ],
    [
      'a CEO with money set aside and a 30-day timeline',
      "I'm the CEO of Brightline Logistics. We need a sales engagement platform for our 75 sales reps within 30 days. We have $60k set aside. Send me a quote.",
      'HOT',
    ],
    [
      "a competitor's market researcher at a big company",
      "I'm a market research analyst at a Fortune 500 company benchmarking competitors' pricing in this space. Could you share your pricing tiers?",
      'COLD',
    ],
    [
      'a homeowner exploring with no date',
      "We own our home and I'm curious what a heat pump would cost. Not sure when.",
      'WARM',
    ],
    [
      'a vendor with a price and a deadline',
      'We generate exclusive roofing leads, only $499/mo, offer ends Friday.',
      'COLD',
    ],
    ['a refusal', 'Not looking to buy, no budget right now. Maybe someday.', 'COLD'],
    ['no text of substance from a big company', 'test test asdf', 'COLD'],
  ] as const)('scores %s %s', async (_what, text, tier) => {
    const result = await engine.analyze({ kind: 'lead', text, email: 'someone@bigcorp.com' }, tenant);
    expect(result.tier).toBe(tier);
  });

  it('names the signals that moved the score', async () => {
    const { reasoning } = await engine.analyze(
      {
        kind: 'lead',
        text: "I'm the CEO of Brightline Logistics. We need a sales engagement platform for our 75 sales reps within 30 days. We have $60k set aside. Send me a quote.",
      },
      tenant,
    );
    // The budget is named either by the money lined up or by the amount, whichever weighs more.
    expect(reasoning).toMatch(/"set aside"|\$60,000/);
    expect(reasoning).toContain('"within 30 days"');
    expect(reasoning).toContain('"ceo"');
  });

  it('shows a number the wording model read as "#", not as its internal token', async () => {
    const { reasoning } = await engine.analyze(
      { kind: 'lead', text: 'We need a new roof before winter, budget around $15k', email: 'jane@acme.com' },
      tenant,
    );
    expect(reasoning).toMatch(/wording such as .*"need #"|"#"/);
    expect(reasoning).not.toContain('<n>');
  });

  it('never scores COLD a concrete need that asks to be contacted', async () => {
    const result = await engine.analyze(
      { kind: 'message', text: 'gutters pulling off the house, how much to fix?' },
      tenant,
    );
    expect(result.score).toBeGreaterThanOrEqual(50);
  });

  it("scores HOT an emergency at the writer's own address, budget or not, unless they put it off", async () => {
    const emergency = await engine.analyze(
      {
        kind: 'transcript',
        text: 'Caller: our heat went out and the pipes might freeze. 310 Lake Road, it is my house.',
      },
      tenant,
    );
    expect(emergency.tier).toBe('HOT');
    const putOff = await engine.analyze(
      { kind: 'message', text: 'small leak under the sink at my house, no rush, maybe next year' },
      tenant,
    );
    expect(putOff.tier).not.toBe('HOT');
  });

  it('scores HOT a person or an animal in danger that the writer is bringing in now', async () => {
    const result = await engine.analyze(
      { kind: 'message', text: 'our cat swallowed a sewing needle, we are 5 minutes away, please be ready' },
      tenant,
    );
    expect(result.tier).toBe('HOT');
  });

  it('never scores HOT a prospect whose only date is months away, or who says there is no rush', async () => {
    const later = await engine.analyze(
      {
        kind: 'lead',
        text: "I'm the owner. We need 30 laptops for the office we open in September next year, $40k approved. Please quote.",
      },
      tenant,
    );
    expect(later.tier).toBe('WARM');
    const relaxed = await engine.analyze(
      {
        kind: 'lead',
        text: 'We own the house at 18 Birch Road and need the deck rebuilt, $12k budget, but there is no rush at all.',
      },
      tenant,
    );
    expect(relaxed.tier).toBe('WARM');
  });

  it('scores HOT a buyer partway through buying, with no timeline given, but not a vendor or a hedged one', async () => {
    const accepted = await engine.analyze(
      { kind: 'message', text: 'ok we accept the quote for the fence, deposit ready' },
      tenant,
    );
    expect(accepted.tier).toBe('HOT');
    const vendor = await engine.analyze(
      { kind: 'lead', text: 'We are an SEO agency. Accept our offer before Friday and we will send the contract.' },
      tenant,
    );
    expect(vendor.tier).not.toBe('HOT');
    const hedged = await engine.analyze(
      { kind: 'message', text: 'maybe someday we will accept the quote for the deck, no rush' },
      tenant,
    );
    expect(hedged.tier).not.toBe('HOT');
  });

  /** A model that scores every lead the same way, so only the rules after it tell two leads apart. */
  const flat = (weight: number, cuts: [number, number] = [-1, 1]): LeadModel => ({
    weights: FEATURES.map(() => weight),
    cuts,
    wording: { weight: 0, bias: 0, tokens: {} },
  });
  const features = async (text: string, email: string) => {
    const read = await createLeadReader({ now: () => NOW });
    const lead = await read({ kind: 'lead', text, email }, tenant);
    return { ...lead, kind: lead.info.kind };
  };

  it('keeps a seller COLD however much their pitch looks like buying', async () => {
    const pitch = await features(
      'We supply roofing materials to contractors like you. Order 40 pallets before Friday, 20% off. Send the PO today.',
      'rep@roofsupply.com',
    );
    expect(readWithModel(flat(5), pitch).score).toBeLessThanOrEqual(49);
  });

  it("moves a lead by its sender's domain within its tier, never across", async () => {
    const text = 'We need a quote for 12 new office chairs.';
    const company = await features(text, 'buyer@acme.com');
    const freeMail = await features(text, 'buyer@gmail.com');
    const middle = flat(0);
    expect(readWithModel(middle, company).score).toBeGreaterThan(readWithModel(middle, freeMail).score);
    expect(readWithModel(middle, company).breakdown.company_fit).toBeGreaterThan(
      readWithModel(middle, freeMail).breakdown.company_fit,
    );
    // At the top of WARM a company domain moves nothing: it never makes a lead HOT.
    expect(readWithModel(flat(0, [-1, 0.02]), company).score).toBe(79);
  });
});
