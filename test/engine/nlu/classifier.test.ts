import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi, type MockInstance } from 'vitest';
import corpus from '../../../src/engine/nlu/corpus/en.json' with { type: 'json' };
import { getIntentClassifier } from '../../../src/engine/nlu/classifier.js';
import { INTENTS, isKnownIntent } from '../../../src/engine/nlu/intents.js';
import { classifyIntent, predictIntent } from '../../../src/engine/nlu/predict.js';

describe('intent classifier', () => {
  const spies: MockInstance[] = [];

  beforeAll(async () => {
    for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
      spies.push(vi.spyOn(console, method));
    }
    spies.push(vi.spyOn(process.stdout, 'write'), vi.spyOn(process.stderr, 'write'));
    await getIntentClassifier();
  });

  afterAll(() => {
    for (const spy of spies) spy.mockRestore();
  });

  it('trains without logging anything', () => {
    for (const spy of spies) expect(spy).not.toHaveBeenCalled();
  });

  it('trains in memory without writing a model file', () => {
    expect(existsSync('model.nlp')).toBe(false);
  });

  it('trains once per process', async () => {
    expect(await getIntentClassifier()).toBe(await getIntentClassifier());
  });

  it('ships a corpus that covers every intent in the catalogue with known intents only', () => {
    const intents = corpus.data.map((d) => d.intent);
    expect(intents.filter((i) => i !== 'None' && !isKnownIntent(i))).toEqual([]);
    expect(Object.keys(INTENTS).filter((i) => !intents.includes(i))).toEqual([]);
    expect(corpus.data.reduce((n, d) => n + d.utterances.length, 0)).toBeGreaterThan(300);
  });

  it.each([
    ['I want to remodel my kitchen with new cabinets', 'kitchen_remodel'],
    ['my roof is leaking after the storm', 'roofing'],
    ['the air conditioner stopped cooling', 'hvac_repair'],
    ['we are pre-approved and want to buy a house', 'buy_home'],
    ['thinking about selling my home', 'sell_home'],
    ['how much do solar panels cost', 'solar_quote'],
    ['can we schedule a product demo', 'demo_request'],
    ['where is my order', 'order_status'],
    ['I was charged twice', 'billing_issue'],
    ['what time do you close today', 'business_hours'],
    ['can I talk to a real person', 'human_agent'],
    ['hello', 'greeting'],
    ['thanks so much', 'thanks'],
    ['yes please', 'affirm'],
    ['sorry wrong number', 'wrong_number'],
    ['are you hiring electricians', 'job_application'],
    ['is the apartment still available for rent', 'rental_inquiry'],
    ['we want solar panels on our house', 'solar_installation'],
    ['what is your pricing for 25 seats', 'pricing_inquiry'],
    ['does it integrate with hubspot', 'product_inquiry'],
    ['the app keeps crashing', 'technical_support'],
    ['cancel my subscription', 'cancel_service'],
    ['where are you located', 'location'],
    ['click here to claim your prize', 'spam'],
  ])('classifies "%s" as %s', async (text, intent) => {
    expect((await classifyIntent(text)).intent).toBe(intent);
  });

  it('answers unknown for out-of-scope text', async () => {
    expect((await classifyIntent('tell me a joke about the weather')).intent).toBe('unknown');
  });

  it('answers unknown with no confidence for blank text', async () => {
    expect(await classifyIntent('   ')).toEqual({ intent: 'unknown', confidence: 0 });
  });

  it('lets a substantive intent outrank the greeting around it', async () => {
    const { intent } = await predictIntent('Hi there! Good morning. We need a new furnace installed before winter.');
    expect(intent).toBe('hvac_repair');
  });

  it('reads past a greeting that opens a sentence', async () => {
    const { intent } = await predictIntent('Hi Priya, my furnace is not turning on. Thanks.');
    expect(intent).toBe('hvac_repair');
  });

  it('does not call an estimate with no time or booking word an appointment', async () => {
    expect((await classifyIntent('interested in an estimate')).intent).not.toBe('appointment_booking');
    expect((await classifyIntent('can someone come out on tuesday for an estimate')).intent).toBe(
      'appointment_booking',
    );
  });

  it("answers the tenant's named service instead of unknown when nothing clears the threshold", async () => {
    const text =
      "We're selling soon and the realtor wants the walls freshened up. It's about 1,800 square feet. Light gray everywhere. Can you get us a quote this week?";
    const verticals = new Set(['home_services'] as const);
    expect((await predictIntent(text, { verticals })).intent).toBe('unknown');
    expect((await predictIntent(text, { verticals, fallback: 'painting' })).intent).toBe('painting');
  });

  it('keeps unknown when the out-of-scope class wins outright, whatever the fallback', async () => {
    expect((await predictIntent('tell me a joke about the weather', { fallback: 'painting' })).intent).toBe('unknown');
  });

  it("classifies a transcript by the caller's lines, not the agent's", async () => {
    const { intent } = await predictIntent(
      'Agent: Thanks for calling, how can I help? Caller: My water heater is leaking everywhere. Agent: Thanks, goodbye.',
    );
    expect(intent).toBe('plumbing');
  });

  it('adds outside evidence through boosts', async () => {
    const plain = await predictIntent('interested in an estimate');
    const boosted = await predictIntent('interested in an estimate', { boosts: { painting: 0.6 } });
    expect(boosted.intent).toBe('painting');
    expect(plain.intent).not.toBe('painting');
  });

  it('discounts intents of a line of business the tenant is not in', async () => {
    const ranked = await predictIntent('I want to buy a house', { verticals: new Set(['b2b']) });
    const open = await predictIntent('I want to buy a house');
    const score = (p: typeof open) => p.ranking.find((c) => c.intent === 'buy_home')?.score ?? 0;
    expect(score(ranked)).toBeLessThan(score(open));
  });

  it('does not call a buyer a support ticket without a telling word', async () => {
    const { ranking } = await predictIntent('want it installed in the next 60 days');
    const damaged = ranking.find((c) => c.intent === 'damaged_product')?.score ?? 0;
    expect(damaged).toBeLessThan(0.3);
  });

  it('returns a confidence in [0, 1] and the same answer every time', async () => {
    const first = await predictIntent('roof replacement quote please');
    const second = await predictIntent('roof replacement quote please');
    expect(first).toEqual(second);
    expect(first.confidence).toBeGreaterThan(0);
    expect(first.confidence).toBeLessThanOrEqual(1);
  });
});
