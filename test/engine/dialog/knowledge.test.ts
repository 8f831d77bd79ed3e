import { describe, expect, it } from 'vitest';
import type { KnowledgeEntry } from '../../../src/engine/dialog/dialog.js';
import { chunk, knowledgeIndex, PASSAGE_CHARS, passagesOf } from '../../../src/engine/dialog/knowledge.js';

const faqs: KnowledgeEntry[] = [
  {
    id: 'faq_1',
    title: 'Do you offer financing?',
    content: 'Yes, through GreenSky: 12 months same-as-cash on projects over $5,000.',
  },
  {
    id: 'faq_2',
    title: 'Which areas do you serve?',
    content: 'We serve Austin, Round Rock, Pflugerville and Cedar Park.',
  },
  {
    id: 'faq_3',
    title: 'What is your return policy?',
    content: 'Unused gear can be returned within 60 days for a full refund.',
  },
];
const longDoc: KnowledgeEntry = {
  id: 'doc_1',
  title: 'Installation guide',
  content: [
    'Installation guide',
    'Permits take two to four weeks depending on the city. '.repeat(6),
    'The installation itself takes one or two days, and the crew cleans up every evening. '.repeat(4),
    'Warranty: panels carry a 25-year manufacturer warranty and our workmanship is covered for 10 years. '.repeat(3),
  ].join('\n\n'),
};

describe('knowledge index', () => {
  it('answers FAQ questions worded differently from the entry', () => {
    const index = knowledgeIndex(faqs);
    expect(index.answer('do yall have payment plans or financing?')?.passage.id).toBe('faq_1');
    expect(index.answer('Do you guys work in Pflugerville?')?.passage.id).toBe('faq_2');
    expect(index.answer("what's your return policy on a tent?")?.passage.id).toBe('faq_3');
  });

  it("answers a question padded with the customer's own context, but not one sharing a single word with another topic", () => {
    const index = knowledgeIndex(faqs);
    expect(index.answer('btw is financing ok for a landlord rental?')?.passage.id).toBe('faq_1');
    expect(index.answer('what is the return on investment of a tesla powerwall?')).toBeNull();
  });

  it("meets the FAQ writer's words through the customer's idioms, synonyms and filler", () => {
    const index = knowledgeIndex([
      { id: 'plans', title: 'Which dental plans do you accept?', content: 'We are in network with most PPO plans.' },
      { id: 'visit', title: 'How much does a visit cost?', content: 'A visit starts at $95.' },
      { id: 'home', title: 'Must I be home during the repair?', content: 'No, a lockbox or a neighbour is fine.' },
      { id: 'cover', title: 'Is the work guaranteed?', content: 'Every repair is covered for two years.' },
    ]);
    expect(index.answer('u take my dental plan or nah')?.passage.id).toBe('plans');
    expect(index.answer('how much will a visit set me back')?.passage.id).toBe('visit');
    expect(index.answer('do we need to be around while you do the repair?')?.passage.id).toBe('home');
    expect(index.answer('and if it breaks down again?')?.passage.id).toBe('cover');
    expect(index.answer('can I pay over time?')).toBeNull();
    expect(knowledgeIndex(faqs).answer('can I pay over time?')?.passage.id).toBe('faq_1');
  });

  it("meets the FAQ's words through the customer's: shots for vaccines, charging for free, own for outside, getting in for access", () => {
    const index = knowledgeIndex([
      { id: 'vax', title: 'Which vaccinations are required?', content: 'Cats need FVRCP and rabies before boarding.' },
      { id: 'quote', title: 'Is a quote free?', content: 'Yes, every quote is free and comes within a day.' },
      { id: 'dj', title: 'Can we bring our own DJ?', content: 'Outside DJs are welcome with proof of insurance.' },
      {
        id: 'access',
        title: 'When can I access the building?',
        content: 'Members can access it from 5am to midnight.',
      },
    ]);
    expect(index.answer('does she need any jabs first?')?.passage.id).toBe('vax');
    expect(index.answer('u guys dont charge for an estimate do u')?.passage.id).toBe('quote');
    expect(index.answer('could my cousin be the dj instead of yours?')?.passage.id).toBe('dj');
    expect(index.answer('how early can I get in there')?.passage.id).toBe('access');
    expect(index.answer('what time is it in Tokyo')).toBeNull();
  });

  it('meets the FAQ through the kind of thing the customer names (WordNet): a violin for an instrument, a bookcase for furniture, a bunny for rabbits', () => {
    const index = knowledgeIndex([
      { id: 'own', title: 'Do I need my own instrument?', content: 'You can rent one from us for the first month.' },
      { id: 'move', title: 'Do you move furniture?', content: 'We move standard furniture out and back at no charge.' },
      { id: 'exotic', title: 'Which animals do you see?', content: 'Dogs, cats, rabbits and guinea pigs.' },
      { id: 'age', title: 'What ages do you teach?', content: 'Children from 6 weeks old up to school age.' },
    ]);
    expect(index.answer('do we have to buy a violin before lesson one?')?.passage.id).toBe('own');
    expect(index.answer('there is a huge sectional and a bookcase, do we empty the room?')?.passage.id).toBe('move');
    expect(index.answer('do you treat bunnies?')?.passage.id).toBe('exotic');
    // A time is no topic: "thursday" is a weekday, never the "weeks" of an answer.
    expect(index.answer('Thursday next week, mid morning?')).toBeNull();
    // Nor does a verb's or a time's WordNet sense widen: "bring" is not "take", "noon" is not an "hour".
    const screens = knowledgeIndex([
      { id: 'data', title: 'Do you recover data?', content: 'We recover data from failed hard drives and SSDs.' },
      { id: 'screen', title: 'How long does a screen replacement take?', content: 'Most laptop screens take a day.' },
      { id: 'diag', title: 'Do you charge for diagnostics?', content: 'Diagnostics are $49.' },
      { id: 'mac', title: 'Do you fix Macs?', content: 'Yes, we repair MacBooks and iMacs.' },
    ]);
    expect(screens.answer('can I bring it in tomorrow at noon?')).toBeNull();
  });

  it('meets an FAQ through a first-timer\'s words, an insurer\'s name and "do we have to buy one"', () => {
    const index = knowledgeIndex([
      {
        id: 'beginners',
        title: 'Is there a class for beginners?',
        content: 'Our Foundations class suits total beginners.',
      },
      { id: 'claims', title: 'Do you work with insurance claims?', content: 'Yes, we meet your adjuster on site.' },
      { id: 'own', title: 'Do I need my own instrument?', content: 'We loan one for the first month.' },
      { id: 'price', title: 'How much are lessons?', content: '30-minute lessons are $38.' },
    ]);
    expect(index.answer("I've never done this before, will I be totally lost?")?.passage.id).toBe('beginners');
    expect(index.answer('State Farm is sending their guy out, could your crew be there too?')?.passage.id).toBe(
      'claims',
    );
    expect(index.answer('do we have to buy one before we start?')?.passage.id).toBe('own');
    const remodel = knowledgeIndex([
      { id: 'fee', title: 'Do you charge a planning fee?', content: 'There is no planning fee; suppliers pay us.' },
      { id: 'permits', title: 'Do you handle permits?', content: 'We pull all required permits.' },
      { id: 'time', title: 'How long does a remodel take?', content: 'Most take two weeks.' },
    ]);
    expect(remodel.answer('do we end up paying you anything on top of what the trip itself costs?')?.passage.id).toBe(
      'fee',
    );
    expect(remodel.answer('does the city need to sign off on this kind of job?')?.passage.id).toBe('permits');
    const visits = knowledgeIndex([
      { id: 'estimates', title: 'Are your estimates free?', content: 'Yes, estimates are free.' },
      { id: 'trip', title: 'Do you charge a trip fee?', content: 'Our service call fee is $89.' },
      { id: 'rebates', title: 'Can you help with utility rebates?', content: 'We file the utility rebates for you.' },
      { id: 'warranty', title: 'Is your work guaranteed?', content: 'Every job carries a two-year warranty.' },
    ]);
    expect(visits.answer('am I still out money just for him showing up?')?.passage.id).toBe('trip');
    expect(visits.answer('i heard the gas company kicks back some cash for this, true?')?.passage.id).toBe('rebates');
    const estimates = knowledgeIndex([
      { id: 'estimates', title: 'Are your estimates free?', content: 'Yes, estimates are free.' },
      { id: 'warranty', title: 'Is your work guaranteed?', content: 'Every job carries a two-year warranty.' },
    ]);
    expect(estimates.answer('do you guys charge to come look at it?')?.passage.id).toBe('estimates');
  });

  it('meets "how much is …" from fee and monthly words, and keeps a topic from outweighing the question', () => {
    const index = knowledgeIndex([
      { id: 'price', title: 'How much is a season pass?', content: 'A season pass is $30 a month or $300 a year.' },
      { id: 'trial', title: 'Can I try a class first?', content: 'Your first class is free, no card needed.' },
      { id: 'park', title: 'Is there parking?', content: 'Free parking is behind the building.' },
    ]);
    expect(index.answer("what's the monthly fee for a pass")?.passage.id).toBe('price');
    expect(index.answer('can I try one free class first?', 'price pricing cost')?.passage.id).toBe('trial');
  });

  it("meets the FAQ through a customer's phrase for it: money down, too young, tagging along, their insurer, how many days", () => {
    const index = knowledgeIndex([
      { id: 'deposit', title: 'How much is the deposit?', content: 'We take a $100 deposit to book.' },
      { id: 'ages', title: 'What ages do you teach?', content: 'We teach students from age 5 to adults.' },
      { id: 'guests', title: 'How many guests can I bring?', content: 'You can bring up to 4 guests.' },
      { id: 'insurance', title: 'Do you take insurance?', content: 'We accept Humana and most PPO plans.' },
      {
        id: 'repair',
        title: 'How long does a repair take?',
        content: 'Most repairs are ready within 2 business days.',
      },
      { id: 'screens', title: 'Do you clean screens and tracks?', content: 'Yes, with every inside-and-out clean.' },
    ]);
    expect(
      index.answer('do I gotta put money down to hold the spot or do I pay everything on the day')?.passage.id,
    ).toBe('deposit');
    expect(index.answer("he's only 6, is that too young to start?")?.passage.id).toBe('ages');
    expect(index.answer('is it ok if my mom and my sisters tag along?')?.passage.id).toBe('guests');
    expect(index.answer('does medicare help with any of it?')?.passage.id).toBe('insurance');
    expect(index.answer('how many days would you need to keep my bike?')?.passage.id).toBe('repair');
    expect(index.answer('will u also do the mesh things and the grooves the door runs in?')?.passage.id).toBe(
      'screens',
    );
    const clinic = knowledgeIndex([
      { id: 'referral', title: 'Do I need a referral?', content: 'No referral is needed for most plans.' },
      { id: 'carry', title: 'Do I have to carry things outside?', content: 'No, our crew picks up anywhere.' },
      { id: 'moles', title: 'Do you check moles?', content: 'Yes, a full-body skin check takes 15 minutes.' },
    ]);
    expect(clinic.answer('do i need my family dr to send me over first?')?.passage.id).toBe('referral');
    expect(clinic.answer('do i gotta drag all that junk up to the curb myself?')?.passage.id).toBe('carry');
    const tuning = knowledgeIndex([
      { id: 'move', title: 'Should I tune my piano after moving it?', content: 'Wait 2 to 3 weeks after a move.' },
      { id: 'price', title: 'How much is a tuning?', content: 'A standard tuning is $145.' },
    ]);
    expect(tuning.answer('we just moved it, should we hold off a bit?')?.passage.id).toBe('move');
    const bakery = knowledgeIndex([
      { id: 'ahead', title: 'How far ahead should I order a custom cake?', content: 'Order at least 7 days ahead.' },
      { id: 'age', title: 'Is there an age limit?', content: 'You must be 18 or older, even with consent.' },
      { id: 'walkins', title: 'Do you take walk-ins?', content: 'Yes, for small tattoos.' },
      { id: 'price', title: 'How much is indoor storage?', content: 'Indoor storage is $65 per foot.' },
    ]);
    expect(bakery.answer('sat the 21st in the morning. is that enough notice??')?.passage.id).toBe('ahead');
    expect(bakery.answer('my daughter turns 17, if i sign something is that ok?')?.passage.id).toBe('age');
    expect(bakery.answer('what does that run?', 'indoor storage')?.passage.id).toBe('price');
    // The best-ranked passage shares only the commonest word ("cost"); the next shares the question's meaning.
    const lawyers = knowledgeIndex([
      { id: 'free', title: 'Do you offer free consultations?', content: 'Yes, consultations are free.' },
      { id: 'fee', title: 'How much does Chapter 7 cost?', content: 'Our Chapter 7 fee is $1,500.' },
    ]);
    expect(lawyers.answer('what does it cost just to talk to someone')?.passage.id).toBe('free');
    expect(lawyers.answer('what does a first meeting with one of your lawyers run')?.passage.id).toBe('free');
    const crew = knowledgeIndex([
      { id: 'insured', title: 'Are you insured?', content: 'Yes, we are licensed and insured.' },
      { id: 'take', title: "Is there anything you can't take?", content: "We can't take paint or tires." },
      { id: 'permits', title: 'Do you handle permits?', content: 'Yes, we pull all the city permits.' },
      { id: 'referral', title: 'Do I need a referral?', content: 'No referral is needed.' },
    ]);
    expect(crew.answer('what happens if your guys break something?')?.passage.id).toBe('insured');
    expect(crew.answer("there's a couple half empty paint cans, can those go too?")?.passage.id).toBe('take');
    expect(crew.answer('do I have to deal with the city and the power company myself?')?.passage.id).toBe('permits');
    expect(crew.answer('does my family doctor have to send you something first?')?.passage.id).toBe('referral');
    const studio = knowledgeIndex([
      {
        id: 'when',
        title: 'When will I get my photos?',
        content: 'Your online gallery is ready within 5 business days.',
      },
      { id: 'price', title: 'How much are headshots?', content: 'A headshot session is $195.' },
    ]);
    expect(studio.answer('how fast do i get the pics back after?')?.passage.id).toBe('when');
    const clinic2 = knowledgeIndex([
      { id: 'bill', title: 'Do you direct bill insurance?', content: 'Yes, we direct bill Sun Life and Manulife.' },
      { id: 'price', title: 'How much is a massage?', content: 'A 60-minute massage is $115.' },
    ]);
    expect(
      clinic2.answer('do i have to pay out of pocket and send the receipt to my work plan myself?')?.passage.id,
    ).toBe('bill');
  });

  it('does not take "is Thursday free?" for a price question, nor a four-letter word for its one-letter neighbour', () => {
    const index = knowledgeIndex([
      { id: 'test', title: 'Is the hearing test free?', content: 'Yes, the full hearing evaluation is free.' },
      { id: 'piano', title: 'Do I need my own piano at home?', content: 'A keyboard with 88 weighted keys is fine.' },
    ]);
    expect(index.answer('is thursday morning free?')).toBeNull();
    expect(index.answer('are you free monday?')).toBeNull();
    expect(index.answer('is the hearing test free?')?.passage.id).toBe('test');
    expect(index.answer("do I need to give my own name or my son's? mine's Priya Nair")).toBeNull();
  });

  it('answers nothing when no passage clears the bar', () => {
    const index = knowledgeIndex(faqs);
    expect(index.answer('what is the meaning of life')).toBeNull();
    expect(index.answer('hello')).toBeNull();
    expect(knowledgeIndex([]).answer('do you offer financing')).toBeNull();
  });

  it('chunks long documents into passages under the limit and answers with the right passage', () => {
    const passages = passagesOf([longDoc]);
    expect(passages.length).toBeGreaterThan(2);
    for (const p of passages) expect(p.text.length).toBeLessThanOrEqual(PASSAGE_CHARS);
    expect(passages[0]?.text.startsWith('Installation guide')).toBe(false);
    const hit = knowledgeIndex([longDoc]).answer('how many years is the warranty on the panels?');
    expect(hit?.passage.text).toContain('25-year');
    expect(hit?.passage.entryId).toBe('doc_1');
  });

  it('keeps short entries whole and splits at sentence boundaries', () => {
    expect(passagesOf(faqs).map((p) => p.id)).toEqual(['faq_1', 'faq_2', 'faq_3']);
    const pieces = chunk('One sentence here. Another one there. '.repeat(30), 100);
    for (const piece of pieces) expect(piece).toMatch(/[.]$/);
  });

  it('builds one index per distinct content and a new one when it changes', () => {
    const first = knowledgeIndex(faqs);
    expect(knowledgeIndex(faqs.map((f) => ({ ...f })))).toBe(first);
    const edited = [...faqs, { id: 'faq_4', title: 'Do you do gutters?', content: 'Yes, seamless aluminium gutters.' }];
    const second = knowledgeIndex(edited);
    expect(second).not.toBe(first);
    expect(second.size).toBe(4);
    expect(second.answer('do you install gutters?')?.passage.id).toBe('faq_4');
  });

  it('lets an intent topic tip a borderline match but never make one alone', () => {
    const index = knowledgeIndex(faqs);
    expect(index.answer('sleeping bag from last week', 'refund return')).toBeNull();
  });
});
