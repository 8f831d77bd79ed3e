import { describe, expect, it } from 'vitest';
import { isChatRequest, isQuestion } from '../../../src/engine/dialog/acts.js';
import { aboutTheBusiness, asksAboutTheWorld, isPitch } from '../../../src/engine/dialog/scope.js';
import { reportsEmergency } from '../../../src/engine/dialog/urgency.js';
import { dialogConfig } from './fixtures.js';

describe('emergencies', () => {
  it('recognises harm happening now in several kinds', () => {
    for (const text of [
      'HELP water is pouring through my kitchen ceiling',
      'I smell gas near my water heater',
      "our furnace died and it's 30 degrees out",
      'a tree branch went through our roof in the storm',
      'my tooth is killing me and my face is swollen',
      'my dog just ate a whole bar of dark chocolate',
    ]) {
      expect(reportsEmergency(text), text).toBe(true);
    }
  });

  it('reads water outdoors as no emergency, unless it comes inside', () => {
    expect(reportsEmergency('MY GUTTERS ARE OVERFLOWING AND WATER IS POURING DOWN BY THE FRONT DOOR')).toBe(false);
    expect(reportsEmergency('water is pouring in from the yard and flooding the basement')).toBe(true);
  });

  it('does not read a question about emergency service, or an ordinary repair, as one', () => {
    expect(reportsEmergency('do you offer 24/7 emergency service?')).toBe(false);
    expect(reportsEmergency('my kitchen faucet is leaking a bit')).toBe(false);
  });
});

describe('scope', () => {
  it('recognises a vendor pitching its own services', () => {
    expect(isPitch('we are offering best SEO and website ranking services')).toBe(true);
    expect(isPitch('We are an offshore dev team with 50+ engineers')).toBe(true);
    expect(isPitch('We help SaaS companies like yours double their pipeline')).toBe(true);
    expect(isPitch("We're about 300 people. Can I talk to someone in sales?")).toBe(false);
    expect(isPitch("Hi, I'm with a small design studio and we'd love to refresh your website")).toBe(true);
    expect(isPitch('I build booking systems for salons like yours')).toBe(true);
    expect(isPitch('I run a bakery and need a new oven installed')).toBe(false);
    expect(isPitch('We would love to write for your blog. Our rates are very affordable.')).toBe(true);
    expect(isPitch('what are your rates for a deep clean?')).toBe(false);
    expect(
      isPitch(
        'Our SEO agency can guarantee top 3 rankings in 30 days. Reply with your email and I will send a free audit.',
      ),
    ).toBe(true);
    expect(isPitch('can your team get the cake to the venue by noon?')).toBe(false);
  });

  it('tells questions about the business from questions about anything else', () => {
    const cfg = dialogConfig();
    expect(aboutTheBusiness('do you offer financing?', cfg)).toBe(true);
    expect(aboutTheBusiness('how much is a roof?', cfg)).toBe(true);
    expect(aboutTheBusiness('who won the celtics game last night', cfg)).toBe(false);
  });

  it('takes a question about the weather or sport for off-topic even when it names a town the knowledge names', () => {
    const tutor = dialogConfig({
      services: ['Math tutoring'],
      serviceAliases: {},
      knowledge: [{ id: 'area', title: 'Where do you tutor?', content: 'At home in Pasadena and Altadena.' }],
    });
    expect(asksAboutTheWorld('is it going to rain in pasadena tomorrow', tutor)).toBe(true);
    expect(asksAboutTheWorld('who won the game last night?', tutor)).toBe(true);
    expect(asksAboutTheWorld('random q but who do you think wins march madness this year?', tutor)).toBe(true);
    expect(asksAboutTheWorld('is it going to rain tomorrow? can the math tutoring move online', tutor)).toBe(false);
    expect(asksAboutTheWorld('do you tutor in pasadena?', tutor)).toBe(false);
  });

  it('takes homework for off-topic except at a business that helps with it', () => {
    const homework =
      "hey can u help me with my calc homework, what's the derivative of x^2 sin x? need it before class";
    const yoga = dialogConfig({
      services: ['Yoga class'],
      serviceAliases: {},
      knowledge: [{ id: 'mat', title: 'Do I need a mat?', content: 'Mats are free to borrow before class.' }],
    });
    expect(asksAboutTheWorld(homework, yoga)).toBe(true);
    expect(asksAboutTheWorld(homework, dialogConfig({ services: ['Math tutoring'], serviceAliases: {} }))).toBe(false);
  });

  it('hears indirect questions and requests for the chat itself', () => {
    expect(isQuestion('I was wondering if you offer financing')).toBe(true);
    expect(isQuestion('I need a plumber')).toBe(false);
    expect(isChatRequest('tell me a joke')).toBe(true);
    expect(isChatRequest('can you write my essay')).toBe(true);
    expect(isChatRequest('hey could u help me translate this letter')).toBe(true);
    expect(isChatRequest('can you help me find a plumber')).toBe(false);
  });
});

describe('emergencies in other words', () => {
  it('reads a burst pipe, sewage and a freezing house without heat as emergencies', () => {
    expect(reportsEmergency('a pipe burst in the wall!')).toBe(true);
    expect(reportsEmergency('sewage is backing up into the tub')).toBe(true);
    expect(reportsEmergency('the heater is broken and the house is freezing')).toBe(true);
    expect(reportsEmergency('no hot water since this morning')).toBe(false);
  });
});
