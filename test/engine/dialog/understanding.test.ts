import { describe, expect, it } from 'vitest';
import { createDialogEngine } from '../../../src/engine/dialog/dialog-engine.js';
import { initialState, type DialogConfig, type DialogTurn } from '../../../src/engine/dialog/dialog.js';
import { analysis, dialogConfig } from './fixtures.js';

// Tuesday 10:00 and Saturday 10:00 in New York.
const OPEN = new Date('2026-03-10T14:00:00Z');
/** Tuesday 23:00 in New York. */
const CLOSED = new Date('2026-03-11T04:00:00Z');
const SATURDAY = new Date('2026-03-14T14:00:00Z');
const dialog = createDialogEngine();
const plumbing = { intent: 'plumbing', intent_confidence: 0.95, entities: { project_type: 'plumbing' } };

type Step = string | { text: string; a?: Parameters<typeof analysis>[0] };

async function play(steps: Step[], cfg: DialogConfig = dialogConfig(), now = OPEN): Promise<DialogTurn[]> {
  const turns: DialogTurn[] = [];
  let state = initialState();
  for (const step of steps) {
    const { text, a } = typeof step === 'string' ? { text: step, a: undefined } : step;
    const turn = await dialog.turn(cfg, { text, state, analysis: analysis(a), now });
    turns.push(turn);
    state = turn.state;
  }
  return turns;
}

const phoneOnly = dialogConfig({ collectFields: ['name', 'phone', 'address', 'preferred_time'] });

describe('conversation understanding', () => {
  it('takes name and phone from one answer and asks neither again', async () => {
    const turns = await play([{ text: 'my sink is clogged', a: plumbing }, 'Dave Miller, 512-555-0199'], phoneOnly);
    expect(turns[1]?.state.collected).toMatchObject({ name: 'Dave Miller', phone: '+15125550199' });
    expect(turns[1]?.state.next_expected_input).toBe('address');
  });

  it('keeps an address and a time volunteered in the first message', async () => {
    const turns = await play(
      [{ text: 'Can you come tomorrow at 3pm? 2207 Oak Hollow Dr, Austin TX 78745, the sink is clogged', a: plumbing }],
      phoneOnly,
    );
    expect(turns[0]?.state.collected).toMatchObject({
      address: '2207 Oak Hollow Dr, Austin TX 78745',
      preferred_time: 'tomorrow at 3pm',
    });
    expect(turns[0]?.state.next_expected_input).toBe('name');
  });

  it('replaces a phone corrected right after it, and one corrected at the summary', async () => {
    const sorry = await play(
      [{ text: 'leaky pipe', a: plumbing }, 'Maria Santos', '512-555-0198', "sorry, it's 512-555-0166"],
      phoneOnly,
    );
    expect(sorry[3]?.state.collected.phone).toBe('+15125550166');
    const late = await play(
      [
        { text: 'leaky pipe', a: plumbing },
        'Kevin Lee',
        '512-555-0140',
        '77 Lakeview Ct, Austin TX',
        'Friday at 11am',
        'no, the phone is 512-555-0177',
        'yes',
      ],
      phoneOnly,
    );
    expect(late[5]?.reply).toContain('Updated.');
    const appointment = late[6]?.actions.find((a) => a.type === 'request_appointment');
    expect(appointment).toMatchObject({
      fields: { phone: '+15125550177' },
      slot: { start: '2026-03-13T11:00:00-04:00', asap: false },
    });
  });

  it('does not store "ok" as a name, and asks again', async () => {
    const turns = await play([{ text: 'my toilet is running', a: plumbing }, 'ok', 'Priya Raman'], phoneOnly);
    expect(turns[1]?.state.collected.name).toBeUndefined();
    expect(turns[1]?.state.next_expected_input).toBe('name');
    expect(turns[2]?.state.collected.name).toBe('Priya Raman');
  });

  it('respects a declined phone by offering e-mail, and a declined name by going on', async () => {
    const phone = await play(
      [
        { text: 'new toilets please', a: plumbing },
        'Hannah Weiss',
        "I'd rather not give out my phone number",
        'hannah@weiss.me',
      ],
      phoneOnly,
    );
    expect(phone[2]?.state.next_expected_input).toBe('email');
    expect(phone[3]?.state.collected).toMatchObject({ email: 'hannah@weiss.me' });
    expect(phone[3]?.state.next_expected_input).toBe('address');
    const name = await play([{ text: 'new toilets please', a: plumbing }, "I'd rather not say"], phoneOnly);
    expect(name[1]?.state.next_expected_input).toBe('phone');
  });

  it('answers an FAQ asked mid-flow and asks the pending question again', async () => {
    const turns = await play(
      [{ text: 'my sink is clogged', a: plumbing }, 'Tom Alvarez', 'I was wondering if you offer financing'],
      phoneOnly,
    );
    expect(turns[2]?.reply).toContain('GreenSky');
    expect(turns[2]?.state.next_expected_input).toBe('phone');
  });

  it('answers an FAQ put after a lead-in, with no question mark, and asks the pending question again', async () => {
    const turns = await play(
      [{ text: 'my sink is clogged', a: plumbing }, 'Tom Alvarez', 'oh btw, do you offer financing'],
      phoneOnly,
    );
    expect(turns[2]?.reply).toContain('GreenSky');
    expect(turns[2]?.state.next_expected_input).toBe('phone');
  });

  it('takes an answer and answers the FAQ asked with it, then asks the next question', async () => {
    const turns = await play(
      [{ text: 'my sink is clogged', a: plumbing }, 'Tom Alvarez. Do you offer financing?'],
      phoneOnly,
    );
    expect(turns[1]?.state.collected.name).toBe('Tom Alvarez');
    expect(turns[1]?.reply).toContain('GreenSky');
    expect(turns[1]?.state.next_expected_input).toBe('phone');
  });

  it('takes a closed-hours emergency to the on-call line and a person, never "tomorrow"', async () => {
    const cfg = dialogConfig({
      outOfHoursMessage: "We're closed. For emergencies call our on-call plumber at 512-555-0111.",
    });
    const turns = await play([{ text: 'water is pouring through my ceiling!!', a: plumbing }], cfg, SATURDAY);
    expect(turns[0]?.actions).toMatchObject([{ type: 'handoff', briefing: { reason: 'emergency' } }]);
    expect(turns[0]?.reply).toContain('512-555-0111');
    expect(turns[0]?.reply).not.toMatch(/tomorrow|we open/i);
  });

  it("gives a closed-hours emergency the tenant's configured on-call number first", async () => {
    const cfg = dialogConfig({ outOfHoursMessage: "We're closed.", onCallPhone: '+1 512-555-0142' });
    const turns = await play([{ text: 'water is pouring through my ceiling!!', a: plumbing }], cfg, SATURDAY);
    expect(turns[0]?.actions).toMatchObject([{ type: 'handoff', briefing: { reason: 'emergency' } }]);
    expect(turns[0]?.reply).toContain('on-call line now on +1 512-555-0142');
  });

  it('offers a person, and out of hours the on-call line, for a matter asked about without a question mark', async () => {
    const cfg = dialogConfig({ onCallPhone: '512-555-0142' });
    const text = 'the nurse said we should contact a plumbing company, what do we do now';
    const [closed] = await play([text], cfg, SATURDAY);
    expect(closed?.state.next_expected_input).toBe('handoff_offer');
    expect(closed?.reply).toContain('our on-call line is 512-555-0142');
    const [open] = await play([text], cfg, OPEN);
    expect(open?.state.next_expected_input).toBe('handoff_offer');
    expect(open?.reply).not.toContain('on-call');
  });

  it('takes a closed-hours situation the tenant names as its emergency to its number and a person', async () => {
    const cfg = dialogConfig({
      outOfHoursMessage: "We're closed. If your sump pump has stopped and the basement is filling, call 512-555-0190.",
    });
    const [turn] = await play(['the sump pump stopped working and the basement is filling up'], cfg, SATURDAY);
    expect(turn?.actions).toMatchObject([{ type: 'handoff', briefing: { reason: 'emergency' } }]);
    expect(turn?.reply).toContain('512-555-0190');
  });

  it("does not take the engine's reading of a person for one when the message names only a need", async () => {
    const [turn] = await play([
      { text: 'I need my gutters cleaned', a: { intent: 'human_agent', intent_confidence: 0.9 } },
    ]);
    expect(turn?.actions).toEqual([]);
  });

  it('takes a customer fixing a detail in cross words as a correction, not as upset', async () => {
    const turns = await play(
      [
        { text: 'my sink is clogged', a: plumbing },
        'Dave Miller',
        '512-555-0190',
        { text: 'ugh my bad, wrong number, use 512-555-0109', a: { sentiment_score: -0.9, sentiment: 'negative' } },
      ],
      phoneOnly,
    );
    expect(turns[3]?.actions).toEqual([]);
    expect(turns[3]?.state.collected.phone).toBe('+15125550109');
    expect(turns[3]?.state.collected.address).toBeUndefined();
  });

  it('gives the address for a question or a short request, not for a statement that names a place', async () => {
    const cfg = dialogConfig({ address: '12 Main St, Austin TX' });
    const location = { intent: 'location', intent_confidence: 0.9 };
    const [statement] = await play(
      [{ text: "We're moving to Round Rock in May and need the roof looked at", a: location }],
      cfg,
    );
    expect(statement?.reply).not.toContain('12 Main St');
    const [request] = await play([{ text: 'address pls', a: location }], cfg);
    expect(request?.reply).toContain('12 Main St');
  });

  it('takes the service from the words of a request no keyword matched', async () => {
    const booking = { intent: 'appointment_booking', intent_confidence: 0.9 };
    const [turn] = await play([{ text: 'could someone take a look at the roofing on our garage', a: booking }]);
    expect(turn?.state.collected.service).toBe('Roofing');
  });

  it('keeps damage to property during opening hours in the ordinary flow', async () => {
    const turns = await play([{ text: 'water is pouring through my ceiling!!', a: plumbing }]);
    expect(turns[0]?.actions).toEqual([]);
    expect(turns[0]?.state.conversation_stage).toBe('collecting');
  });

  it('hands a life in danger to a person at once, open or closed, and points to the emergency services', async () => {
    for (const text of [
      'help my toddler is locked in the car and the keys are inside!!!',
      'I smell gas in the kitchen',
      'my dog ate a whole bar of chocolate',
    ]) {
      const [turn] = await play([text]);
      expect(turn?.actions, text).toMatchObject([{ type: 'handoff', briefing: { reason: 'emergency' } }]);
      expect(turn?.reply, text).toContain('call your local emergency number');
      expect(turn?.reply, text).toContain('passing you to a member of our team right now');
    }
    const [night] = await play(['someone is trapped inside the elevator'], dialogConfig(), CLOSED);
    expect(night?.actions).toMatchObject([{ type: 'handoff', briefing: { reason: 'emergency' } }]);
    expect(night?.reply).toContain('on-call team');
  });

  it('closes spam and off-topic questions politely, without a lead or a person', async () => {
    for (const text of [
      'Hello sir, we are offering best SEO services at cheap price',
      'who won the game last night?',
    ]) {
      const [turn] = await play([text]);
      expect(turn?.state.conversation_stage, text).toBe('closed');
      expect(turn?.actions, text).toEqual([]);
    }
  });

  it('hands off "I need a sales rep"', async () => {
    const [turn] = await play(['I need a sales rep']);
    expect(turn?.actions).toMatchObject([{ type: 'handoff', briefing: { reason: 'requested' } }]);
  });

  it('hands off a person asked for mid-collection, and not one the customer says they do not need', async () => {
    const asked = await play(
      [{ text: 'my sink is clogged', a: plumbing }, 'Tom Alvarez', 'can I speak to sales?'],
      phoneOnly,
    );
    expect(asked[2]?.actions).toMatchObject([{ type: 'handoff', briefing: { reason: 'requested' } }]);
    const declined = await play(
      [{ text: 'my sink is clogged', a: plumbing }, "Tom Alvarez, no need to talk to a person, I'm fine"],
      phoneOnly,
    );
    expect(declined[1]?.actions).toEqual([]);
    expect(declined[1]?.state.collected.name).toBe('Tom Alvarez');
  });

  it('keeps "no rush, next month" as said and not as soon as possible', async () => {
    const turns = await play(
      [
        { text: 'new water heater', a: plumbing },
        'Steve Duncan',
        '512-555-0127',
        '615 Bluebonnet Ln, Pflugerville TX',
        'no rush, next month',
        'yes',
      ],
      phoneOnly,
    );
    const appointment = turns[5]?.actions.find((a) => a.type === 'request_appointment');
    expect(appointment).toMatchObject({ preferredTime: 'no rush, next month', slot: { asap: false } });
  });
});

describe('a leading yes or no in a longer message', () => {
  it('reads what follows "ok great," as the request', async () => {
    const turns = await play(['do you offer financing?', 'ok great, can I book a visit for Monday morning']);
    expect(turns[1]?.state.conversation_stage).toBe('collecting');
    expect(turns[1]?.state.collected.preferred_time).toBe('Monday morning');
  });
});

describe('a day inside a question', () => {
  it('answers "are you open Saturday?" while the time is pending, without taking Saturday as the time', async () => {
    const turns = await play(
      [
        { text: 'my sink is clogged', a: plumbing },
        'Dave Miller',
        '512-555-0199',
        '2207 Oak Hollow Dr, Austin TX',
        'are you open on Saturday?',
      ],
      phoneOnly,
    );
    expect(turns[4]?.reply).toContain('Our hours are');
    expect(turns[4]?.state.collected.preferred_time).toBeUndefined();
    expect(turns[4]?.state.next_expected_input).toBe('preferred_time');
  });

  it('says plainly when it cannot answer a question mid-booking, asks the pending question again, and hands off for none', async () => {
    const cfg = dialogConfig({ collectFields: ['name', 'phone', 'preferred_time'] });
    const turns = await play(
      [
        { text: 'my sink is clogged', a: plumbing },
        'Ines Braga',
        'will I be totally lost, I have never done this before?',
        'and do I have to buy my own gear?',
        '512-555-0199',
      ],
      cfg,
    );
    expect(turns[2]?.reply).toContain("I don't have the answer to that one here");
    expect(turns[2]?.state.next_expected_input).toBe('phone');
    expect(turns[3]?.actions).toEqual([]);
    expect(turns[3]?.state.next_expected_input).toBe('phone');
    expect(turns[4]?.state.collected.phone).toBe('+15125550199');
  });

  it('answers from the whole message when it points to another answer more strongly than the clause that asks', async () => {
    const cfg = dialogConfig({
      collectFields: ['name', 'phone', 'preferred_time'],
      knowledge: [
        {
          id: 'own',
          title: 'Do I need my own instrument?',
          content: 'We loan a guitar or violin for the first month; piano students practice on our studio pianos.',
        },
        { id: 'age', title: 'What age can students start?', content: 'We teach students from age 5.' },
        {
          id: 'price',
          title: 'How much are lessons?',
          content: '30-minute lessons are $38 and 45-minute lessons are $52.',
        },
        { id: 'recitals', title: 'Do students have to perform?', content: 'Taking part in recitals is optional.' },
      ],
    });
    const turns = await play(
      [
        { text: 'my sink is clogged', a: plumbing },
        'Ines Braga',
        "we don't have a violin yet, do we have to buy one before lesson one?",
      ],
      cfg,
    );
    expect(turns[2]?.reply).toContain('first month');
  });

  it('takes no time from a question about something else, and says plainly it cannot answer a question put without a question word', async () => {
    const turns = await play(
      [
        { text: 'my sink is clogged', a: plumbing },
        'Ines Braga',
        '512-555-0199',
        'come october do you guys also come back and check the pipes?',
        'i heard the gas company kicks back some cash for this, true?',
      ],
      phoneOnly,
    );
    expect(turns[3]?.state.collected.preferred_time).toBeUndefined();
    expect(turns[3]?.state.next_expected_input).toBe('address');
    expect(turns[4]?.reply).toContain("I don't have the answer to that one here");
    expect(turns[4]?.state.next_expected_input).toBe('address');
  });

  it('does not answer a job described in the first message from an FAQ that only shares its words', async () => {
    const cfg = dialogConfig({
      knowledge: [
        { id: 'estimates', title: 'Are estimates free?', content: 'Yes, estimates are free and take 30 minutes.' },
        { id: 'warranty', title: 'Is there a warranty?', content: 'Every plumbing job comes with a 5-year warranty.' },
      ],
    });
    const [turn] = await play(
      [
        {
          text: 'I want new plumbing for my basement bathroom, for the rental. You can come to make estimate?',
          a: plumbing,
        },
      ],
      cfg,
    );
    expect(turn?.reply).not.toContain('warranty');
    expect(turn?.state.next_expected_input).toBe('name');
  });

  it('takes a time put tentatively ("Saturday 8am?") as the time, even when the knowledge base names that day', async () => {
    const cfg = dialogConfig({
      collectFields: ['name', 'phone', 'preferred_time'],
      knowledge: [{ id: 'classes', title: 'When are classes?', content: 'Classes run Tuesdays and Saturdays.' }],
    });
    const turns = await play(
      [{ text: 'my sink is clogged', a: plumbing }, 'Ines Braga', '512-555-0199', 'Saturday 8am?'],
      cfg,
    );
    expect(turns[3]?.reply).not.toContain('Classes run');
    expect(turns[3]?.state.collected.preferred_time).toBe('Saturday 8am');
  });

  it('answers two questions asked in one message mid-flow, then asks the pending question again', async () => {
    const cfg = dialogConfig({
      collectFields: ['name', 'phone', 'preferred_time'],
      knowledge: [
        { id: 'ins', title: 'Are you insured?', content: 'Yes, we carry $2M in liability insurance.' },
        { id: 'warranty', title: 'Is the work guaranteed?', content: 'Every job has a two-year workmanship warranty.' },
      ],
    });
    const turns = await play(
      [{ text: 'my sink is clogged', a: plumbing }, 'Ines Braga', 'r u insured and do u guarantee the work'],
      cfg,
    );
    expect(turns[2]?.reply).toContain('liability insurance');
    expect(turns[2]?.reply).toContain('two-year');
    expect(turns[2]?.state.next_expected_input).toBe('phone');
  });

  it('answers a question that takes its topic from the clause before it', async () => {
    const cfg = dialogConfig({
      collectFields: ['name', 'phone', 'preferred_time'],
      knowledge: [
        ...dialogConfig().knowledge,
        {
          id: 'florist',
          title: 'Can we use our own florist?',
          content: 'Yes, any licensed florist may set up from 9am.',
        },
      ],
    });
    const turns = await play(
      [{ text: 'my sink is clogged', a: plumbing }, 'Ines Braga', "my sister's a florist, is that ok with you?"],
      cfg,
    );
    expect(turns[2]?.reply).toContain('licensed florist');
    expect(turns[2]?.state.next_expected_input).toBe('phone');
  });

  it('hands off a customer asking whether anyone is there while a question is pending', async () => {
    const turns = await play([{ text: 'my sink is clogged', a: plumbing }, 'hello?? anybody'], phoneOnly);
    expect(turns[1]?.actions).toMatchObject([{ type: 'handoff', briefing: { reason: 'requested' } }]);
  });

  it('takes sparks and a burning smell while closed to the on-call number and a person', async () => {
    const cfg = dialogConfig({ outOfHoursMessage: "We're closed.", onCallPhone: '512-555-0123' });
    const [turn] = await play(['the socket behind the tv is smoking and smells like burning plastic'], cfg, SATURDAY);
    expect(turn?.actions).toMatchObject([{ type: 'handoff', briefing: { reason: 'emergency' } }]);
    expect(turn?.reply).toContain('512-555-0123');
  });

  it('offers a person for a question about the business nothing answers, and hands over when the customer goes on', async () => {
    const turns = await play([
      'the roofing you put on in May has a dent in it now, why would that happen?',
      'it looks like someone walked on it, there are footprints all over',
    ]);
    expect(turns[0]?.reply).toContain('a person can look into it');
    expect(turns[0]?.reply).not.toContain('rephrase');
    expect(turns[1]?.actions).toMatchObject([{ type: 'handoff', briefing: { reason: 'requested' } }]);
    const declined = await play(['why is there a dent in the roofing you put on?', 'no thanks']);
    expect(declined[1]?.actions).toEqual([]);
  });

  it('hands over a customer who says the chat is not helping', async () => {
    const turns = await play([
      { text: 'my sink is clogged', a: plumbing },
      "you're not listening, that's not what I asked",
    ]);
    expect(turns[1]?.actions).toMatchObject([{ type: 'handoff', briefing: { reason: 'low_confidence' } }]);
  });

  it("names the kind of job only when the tenant's catalogue sells it", async () => {
    const mowing = dialogConfig({ services: ['Lawn mowing'], serviceAliases: { mowing: 'Lawn mowing' } });
    const [misread] = await play([{ text: 'need the sprinkler lines blown out before winter', a: plumbing }], mowing);
    expect(misread?.reply).toMatch(/^I'd be glad to help with that\./);
    const [sold] = await play([{ text: 'need the sprinkler lines blown out before winter', a: plumbing }]);
    expect(sold?.reply).toContain('help with your plumbing');
  });

  it('says it is the assistant when asked mid-flow, keeping the pending question, and offers a person otherwise', async () => {
    const turns = await play([{ text: 'my sink is clogged', a: plumbing }, 'Ines Braga', 'wait r u a bot'], phoneOnly);
    expect(turns[2]?.reply).toContain('virtual assistant');
    expect(turns[2]?.state.next_expected_input).toBe('phone');
    const [opening] = await play(['is this a chatbot?']);
    expect(opening?.reply).toContain('a person can look into it');
    expect(opening?.actions).toEqual([]);
  });

  it('answers a question opening with its words while the address is pending, without taking its numbers as the address', async () => {
    const cfg = dialogConfig({
      collectFields: ['name', 'phone', 'address'],
      knowledge: [
        ...dialogConfig().knowledge,
        {
          id: 'clean',
          title: 'How much is a deep clean?',
          content: 'A deep clean is $180 for homes up to 1,500 square feet.',
        },
      ],
    });
    const steps = [{ text: 'my sink is clogged', a: plumbing }, 'Ines Braga', '512-555-0143'];
    const asked = await play([...steps, 'how much would a deep clean be for an 1800 sq ft house'], cfg);
    expect(asked[3]?.reply).toContain('$180');
    expect(asked[3]?.state.collected.address).toBeUndefined();
    expect(asked[3]?.state.next_expected_input).toBe('address');
    const given = await play([...steps, 'can you come to 1400 Barton Springs Rd, Austin?'], cfg);
    expect(given[3]?.state.collected.address).toContain('1400 Barton Springs');
  });

  it('starts the booking when, after an answer, the customer asks for one in words the classifier missed', async () => {
    const turns = await play(['do you offer financing?', "perfect, we'd like to set one up for next week"]);
    expect(turns[0]?.reply).toContain('GreenSky');
    expect(turns[1]?.state.conversation_stage).toBe('collecting');
    expect(turns[1]?.state.next_expected_input).toBe('name');
  });

  it('reads the name after an acknowledgement, and the address and time after one', async () => {
    for (const said of ['great!! Mia Thornton 512-555-0156', 'fine, Mia Thornton', "oh sorry, it's Mia Thornton"]) {
      const turns = await play([{ text: 'my sink is clogged', a: plumbing }, said], phoneOnly);
      expect(turns[1]?.state.collected.name).toBe('Mia Thornton');
    }
    const turns = await play(
      [
        { text: 'my sink is clogged', a: plumbing },
        'Mia Thornton',
        '512-555-0156',
        'ok cool 1186 Ponce de Leon Ave NE',
      ],
      phoneOnly,
    );
    expect(turns[3]?.state.collected.address).toBe('1186 Ponce de Leon Ave NE');
    const timed = await play(
      [
        { text: 'my sink is clogged', a: plumbing },
        'Mia Thornton',
        '512-555-0156',
        '12 Elm St',
        'great. next wednesday at 6',
      ],
      phoneOnly,
    );
    expect(timed[4]?.state.collected.preferred_time).toBe('next wednesday at 6');
  });

  it('asks for a person in one clause even when another turns something down', async () => {
    const turns = await play([
      "my ex filed for custody. i really don't want to type all this to a bot, can i talk to an actual lawyer or someone at the office",
    ]);
    expect(turns[0]?.actions).toMatchObject([{ type: 'handoff', briefing: { reason: 'requested' } }]);
    const sales = await play(['we are 60 users and need SSO. can i get on a call with someone from your sales team?']);
    expect(sales[0]?.actions).toMatchObject([{ type: 'handoff', briefing: { reason: 'requested' } }]);
  });

  it('takes an emergency told with strong words, no heat with a baby and ransomware while closed to the on-call line', async () => {
    const cfg = dialogConfig({ outOfHoursMessage: "We're closed.", onCallPhone: '512-555-0123' });
    for (const said of [
      'sewage is coming up out of the basement floor drain, it smells horrible and theres an inch of it on the floor',
      'the heat has been out since 10pm, its 54 degrees in here and i have a 6 month old',
      'all our files got renamed to .lockbit and theres a ransom note on every desktop',
    ]) {
      const [turn] = await play([said], cfg, SATURDAY);
      expect(turn?.actions).toMatchObject([{ type: 'handoff', briefing: { reason: 'emergency' } }]);
      expect(turn?.reply).toContain('512-555-0123');
    }
  });

  it('closes growth pitches and listing-suspension scares without a person or a lead', async () => {
    for (const said of [
      "Hi! I'm Jenna with ReviewBoost. We help dermatology practices get 50+ five-star Google reviews every month. Who should I demo to?",
      'we generate exclusive remodeling leads in your zip code, pay per lead, 20 free leads this week',
      'I am Rahul from a leading digital marketing company. Your site is not on the first page of Google. Shall I send you our packages?',
      'FINAL NOTICE: Your Google Business Profile will be SUSPENDED within 24 hours. Call our verification team.',
    ]) {
      const [turn] = await play([said]);
      expect(turn?.state.conversation_stage).toBe('closed');
      expect(turn?.actions).toEqual([]);
    }
  });

  it('keeps the time of day when the customer moves the day, and reads the first of two dates', async () => {
    const moved = await play(
      [
        { text: 'my sink is clogged', a: plumbing },
        'Ben Kowal',
        '512-555-0110',
        '12 Elm St, Austin',
        'wednesday at 6pm',
        'sorry, make that thursday',
      ],
      phoneOnly,
    );
    const slot = moved[5]?.state.entities.requested_slot as { start: string } | undefined;
    expect(slot?.start).toMatch(/^2026-03-12T18:00/);
    const first = await play(
      [
        { text: 'my sink is clogged', a: plumbing },
        'Ben Kowal',
        '512-555-0110',
        '12 Elm St, Austin',
        'drop off the morning of april 2nd, pick up the 6th',
      ],
      phoneOnly,
    );
    expect((first[4]?.state.entities.requested_slot as { start: string }).start).toMatch(/^2026-04-02T08:00/);
  });

  it('does not take when something broke as when to come', async () => {
    const [turn] = await play(
      [{ text: 'the spring on my garage door snapped this morning, can someone come take a look?', a: plumbing }],
      phoneOnly,
    );
    expect(turn?.state.collected.preferred_time).toBeUndefined();
  });

  it('hands an annoyed customer to a person when the business let them down, and takes "nah" as no preferred time', async () => {
    const [angry] = await play([
      {
        text: 'dropped my bike off three weeks ago and every time I call I get voicemail. nobody ever calls back. this is ridiculous',
        a: { intent: 'plumbing', intent_confidence: 0.6, sentiment: 'negative', sentiment_score: -0.6 },
      },
    ]);
    expect(angry?.actions).toMatchObject([{ type: 'handoff', briefing: { reason: 'negative_sentiment' } }]);
    const [annoyed] = await play([
      { text: 'ugh the sink is clogged again', a: { ...plumbing, sentiment: 'negative', sentiment_score: -0.6 } },
    ]);
    expect(annoyed?.actions).toEqual([]);
    const turns = await play(
      [{ text: 'my sink is clogged', a: plumbing }, 'Rick Lemaire', '586-555-0102', '12 Elm St', 'nah'],
      phoneOnly,
    );
    expect(turns[4]?.state.conversation_stage).toBe('confirming');
    expect(turns[4]?.state.collected.preferred_time).toBeUndefined();
  });

  it('starts the booking from a name said alone after an answer', async () => {
    const turns = await play(['do you offer financing?', 'Marcus Bell']);
    expect(turns[1]?.state.collected.name).toBe('Marcus Bell');
    expect(turns[1]?.state.conversation_stage).toBe('collecting');
    expect(turns[1]?.reply).not.toContain("didn't understand");
  });

  it('corrects the first name alone, spelled out, and keeps the surname; a day in a correction is no name', async () => {
    const turns = await play(
      [{ text: 'my sink is clogged', a: plumbing }, 'Catherine Dubois', "sorry, it's Katherine with a K. autocorrect"],
      phoneOnly,
    );
    expect(turns[2]?.state.collected.name).toBe('Katherine Dubois');
    const day = await play(
      [{ text: 'my sink is clogged', a: plumbing }, 'Catherine Dubois', "no, it's Tuesday"],
      phoneOnly,
    );
    expect(day[2]?.state.collected.name).toBe('Catherine Dubois');
  });

  it('answers the question and starts the booking when the customer also asks to book', async () => {
    const cfg = dialogConfig({
      knowledge: [{ id: 'referral', title: 'Do I need a referral?', content: 'No referral is needed.' }],
    });
    const [turn] = await play(['does my doctor have to send you something first, or can I just book?'], cfg);
    expect(turn?.reply).toContain('No referral is needed.');
    expect(turn?.state.conversation_stage).toBe('collecting');
  });
});
