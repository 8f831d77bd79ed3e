import { describe, expect, it } from 'vitest';
import {
  asksAvailability,
  asksIfBot,
  goalFor,
  isQuestion,
  mayAskForPerson,
  opensWithQuestion,
  questionClause,
  questionsIn,
  recogniseAct,
  requestsBooking,
  saysChatFails,
  splitAtQuestion,
} from '../../../src/engine/dialog/acts.js';
import { INTENTS } from '../../../src/engine/nlu/intents.js';

describe('dialog acts', () => {
  it.each([
    ['can I talk to a real person please', 'human'],
    ['agent please', 'human'],
    ['I want to speak with someone', 'human'],
    ['real human pls', 'human'],
    ['I need a sales rep', 'human'],
    ['representative', 'human'],
    ['Can I speak to sales?', 'human'],
    ['is there someone I can talk to', 'human'],
    ['have a sales rep call me', 'human'],
    ['put me through to someone please', 'human'],
    ['could you get somebody on the line for me', 'human'],
    ["I'd rather deal with a real accountant instead of a bot", 'human'],
    ['ok thanks, I will think about it', 'thanks'],
    ['let me check with my business partner first', 'thanks'],
    ['hi', 'greeting'],
    ['Good morning!', 'greeting'],
    ['thanks so much!', 'thanks'],
    ['ok thank you', 'thanks'],
    ['bye', 'goodbye'],
    ['thanks, bye', 'goodbye'],
    ['yes', 'affirm'],
    ["yep that's right", 'affirm'],
    ['sounds good', 'affirm'],
    ['no', 'deny'],
    ['nope, the phone is wrong', 'deny'],
  ])('reads %j as %s', (text, act) => {
    expect(recogniseAct(text)).toBe(act);
  });

  it('reads nothing into a request or a question', () => {
    expect(recogniseAct('My water heater is leaking')).toBeNull();
    expect(recogniseAct('yes but how much does it cost?')).toBeNull();
    expect(recogniseAct('hey so about the thing from before')).toBeNull();
  });

  it('reads no request for a person where the customer refuses one or only mentions one', () => {
    expect(recogniseAct("I don't want to speak to anyone, just book it")).toBeNull();
    expect(recogniseAct('I spoke with your rep yesterday about the quote')).toBeNull();
    expect(recogniseAct('agent')).toBeNull();
    expect(recogniseAct('this is not working I need a human')).toBe('human');
    expect(recogniseAct('what does it cost just to talk to someone, i literally have no money')).toBeNull();
  });

  it("lets the engine's reading of a person count only beside words for one, not for a need or the customer's own people", () => {
    expect(mayAskForPerson('can somebody call me back today')).toBe(true);
    expect(mayAskForPerson('I need my gutters cleaned before winter')).toBe(false);
    expect(mayAskForPerson("I'll speak to my landlord and come back")).toBe(false);
  });

  it('hears a question put after a lead-in, without a question mark', () => {
    expect(isQuestion('btw do you charge for estimates')).toBe(true);
    expect(isQuestion('oh also, are you insured')).toBe(true);
    expect(isQuestion('quick question - can you do weekends')).toBe(true);
    expect(isQuestion('also my name is Sam')).toBe(false);
    expect(opensWithQuestion('am I still out money just for him showing up')).toBe(true);
    expect(opensWithQuestion('must we be home')).toBe(true);
  });

  it("hears a person named or a call asked for instead of the chat, but not the customer's own people", () => {
    expect(recogniseAct('could I speak with Priya, she quoted us last year')).toBe('human');
    expect(recogniseAct("I'd rather talk to Dr Okafor")).toBe('human');
    expect(recogniseAct('this is slow, phone me instead at 555 201 3344')).toBe('human');
    expect(recogniseAct('I want to talk to my husband first')).not.toBe('human');
    expect(recogniseAct("I'd like to talk to you about a new roof")).toBeNull();
    expect(recogniseAct("I don't want to speak to Dave again")).toBeNull();
    // A refusal of the chat in the next sentence leaves the request for the person standing.
    expect(
      recogniseAct("can I just get Dana on the phone? I don't want to do this whole back and forth over chat"),
    ).toBe('human');
    expect(recogniseAct("is Marisol in today? I'd rather message with her directly than book through here")).toBe(
      'human',
    );
    expect(recogniseAct("is there somebody there I could chat with live instead? it's complicated")).toBe('human');
    expect(recogniseAct('can you get the stain on the rug out?')).toBeNull();
  });

  it('finds the question after what a message leads with, and keeps a message that opens with its question', () => {
    expect(splitAtQuestion('Ana Ruiz, 555-0100 - oh and are you insured?')).toEqual({
      lead: 'Ana Ruiz, 555-0100',
      question: 'are you insured?',
    });
    expect(questionClause('one sec, how much is a visit?')).toBe('how much is a visit?');
    expect(questionClause('how much is a visit, and do you take cards?')).toBe(
      'how much is a visit, and do you take cards?',
    );
    expect(splitAtQuestion('my name is Ana, thanks')).toBeNull();
  });

  it('hears a customer checking that someone reads the chat as asking for a person, not a question about staffing', () => {
    expect(recogniseAct('hello? anybody there')).toBe('human');
    expect(recogniseAct('is someone there?!')).toBe('human');
    expect(recogniseAct('anyone?')).toBe('human');
    expect(recogniseAct('is anyone there on sundays?')).toBeNull();
    expect(recogniseAct('is anybody available to fix a fence this week')).toBeNull();
  });

  it('hears the customer saying the chat is failing them, not a remedy or a person that is not helping', () => {
    expect(saysChatFails("you're not listening to me")).toBe(true);
    expect(saysChatFails("that's not what I asked")).toBe(true);
    expect(saysChatFails("this chat isn't very helpful")).toBe(true);
    expect(saysChatFails('what a useless bot')).toBe(true);
    expect(saysChatFails("the ice pack is not helping and it's not helping my sleep")).toBe(false);
    expect(saysChatFails("I can't help it, she loves your groomer")).toBe(false);
  });

  it('hears a role said alone as on a phone menu, and a different person asked for', () => {
    expect(recogniseAct('person!')).toBe('human');
    expect(recogniseAct('rep, please')).toBe('human');
    expect(recogniseAct('get me somebody else')).toBe('human');
    expect(recogniseAct('get me someone out here friday')).toBeNull();
    expect(recogniseAct('travel agent')).toBeNull();
  });

  it("hears a manager or a sales rep asked for in so many words, not the customer's own manager", () => {
    expect(recogniseAct('6 of us drove an hour. get me your manager')).toBe('human');
    expect(recogniseAct("I'd like to deal with a sales rep directly.")).toBe('human');
    expect(recogniseAct('my manager asked me to book this')).toBeNull();
    expect(recogniseAct('can somebody from your crew take it from here?')).toBe('human');
    expect(recogniseAct('I would feel better speaking with a real young man on the telephone')).toBe('human');
    expect(asksAvailability('is thursday morning free?')).toBe(true);
    expect(asksAvailability('any openings saturday?')).toBe(true);
    expect(asksAvailability('are you open saturday?')).toBe(false);
  });

  it('tells a customer asking whether the chat is a machine', () => {
    expect(asksIfBot('r u a robot?')).toBe(true);
    expect(asksIfBot('hey is this AI')).toBe(true);
    expect(asksIfBot('am I chatting with a human')).toBe(true);
    expect(asksIfBot('is this a good time to book')).toBe(false);
  });

  it('hears questions typed with chat spellings of their question word', () => {
    expect(isQuestion('wat time do u close')).toBe(true);
    expect(isQuestion('hw long is a session')).toBe(true);
    expect(isQuestion('r u open late')).toBe(true);
    expect(isQuestion('r2 unit is free')).toBe(false);
  });

  it("hears a request to be booked in the customer's own words, not a question about booking", () => {
    expect(requestsBooking("great, we'd like to book him in")).toBe(true);
    expect(requestsBooking('sign us up then')).toBe(true);
    expect(requestsBooking('can you squeeze me in thursday')).toBe(true);
    expect(requestsBooking('how far ahead do people book?')).toBe(false);
    expect(requestsBooking('my booking confirmation never came')).toBe(false);
  });

  it('tells a message that opens with its question from one that asks after a detail', () => {
    expect(opensWithQuestion('oh and how much for a 3 bedroom')).toBe(true);
    expect(opensWithQuestion('22 Birch Ln, do you charge for parking?')).toBe(false);
  });

  it('finds each question of a message that asks more than one', () => {
    expect(questionsIn('do you do gutters? and are you insured')).toEqual(['do you do gutters?', 'are you insured']);
    expect(questionsIn('what does it cost and how soon can you start')).toEqual([
      'what does it cost',
      'how soon can you start',
    ]);
    expect(questionsIn('my name is Ana and I need a quote')).toEqual([]);
    expect(questionsIn('is it bread and butter pudding?')).toEqual(['is it bread and butter pudding?']);
  });

  it('takes the act from a quick-reply payload', () => {
    expect(recogniseAct('Yes', 'yes')).toBe('affirm');
    expect(recogniseAct('No', 'no')).toBe('deny');
    expect(recogniseAct('Talk to a person', 'human')).toBe('human');
  });

  it('maps every engine intent to a goal', () => {
    expect(goalFor('kitchen_remodel')).toBe('collect');
    expect(goalFor('demo_request')).toBe('collect');
    expect(goalFor('rental_inquiry')).toBe('collect');
    expect(goalFor('appointment_booking')).toBe('collect');
    expect(goalFor('billing_issue')).toBe('support');
    expect(goalFor('damaged_product')).toBe('support');
    expect(goalFor('business_hours')).toBe('knowledge');
    expect(goalFor('location')).toBe('knowledge');
    expect(goalFor('thanks')).toBe('chat');
    expect(goalFor('spam')).toBe('junk');
    expect(goalFor('unknown')).toBe('unknown');
    for (const intent of Object.keys(INTENTS)) expect(goalFor(intent)).toBeTypeOf('string');
  });

  it('tells questions from statements', () => {
    expect(isQuestion('do you offer financing')).toBe(true);
    expect(isQuestion('Pflugerville?')).toBe(true);
    expect(isQuestion('I need a new roof')).toBe(false);
  });
});
