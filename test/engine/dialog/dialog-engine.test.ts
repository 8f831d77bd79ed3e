import { describe, expect, it, vi } from 'vitest';
import { createDialogEngine } from '../../../src/engine/dialog/dialog-engine.js';
import { initialState, type ConversationState, type DialogTurn } from '../../../src/engine/dialog/dialog.js';
import { analysis, dialogConfig } from './fixtures.js';

// Tuesday 10:00 and Saturday 10:00 in New York.
const OPEN = new Date('2026-03-10T14:00:00Z');
const SATURDAY = new Date('2026-03-14T14:00:00Z');
const dialog = createDialogEngine();

type Step = { text: string; payload?: string; a?: Parameters<typeof analysis>[0] };

async function play(
  steps: Step[],
  cfg = dialogConfig(),
  now = OPEN,
  state: ConversationState = initialState(),
): Promise<DialogTurn[]> {
  const turns: DialogTurn[] = [];
  for (const step of steps) {
    const turn = await dialog.turn(cfg, {
      text: step.text,
      ...(step.payload ? { payload: step.payload } : {}),
      state,
      analysis: analysis(step.a),
      now,
    });
    turns.push(turn);
    state = turn.state;
  }
  return turns;
}

const kitchen: Step = {
  text: 'I want my kitchen redone',
  a: { intent: 'kitchen_remodel', intent_confidence: 0.95, entities: { project_type: 'kitchen_remodel' } },
};

describe('dialog engine', () => {
  it('greets, and tells the customer when closed', () => {
    expect(dialog.start(dialogConfig(), OPEN)).toMatchObject({
      reply: 'Hello! How can I help you today?',
      open: true,
      state: initialState(),
    });
    const closed = dialog.start(dialogConfig(), SATURDAY);
    expect(closed.open).toBe(false);
    expect(closed.reply).toContain('we open Monday at 9:00 AM');
    expect(dialog.start(dialogConfig({ outOfHoursMessage: 'We are out fishing.' }), SATURDAY).reply).toContain(
      'We are out fishing.',
    );
  });

  it('collects the fields in order, confirms with yes/no and emits the lead and the appointment', async () => {
    const turns = await play([
      kitchen,
      { text: 'Dana Whitfield' },
      { text: 'dana@whitfield.me', a: { entities: { emails: ['dana@whitfield.me'] } } },
      { text: '1418 Maple Grove Ln, Austin TX', a: { entities: { address: '1418 Maple Grove Ln, Austin TX' } } },
      { text: 'Tuesday afternoon' },
      { text: 'Yes', payload: 'yes' },
    ]);
    expect(turns.map((t) => t.state.next_expected_input)).toEqual([
      'name',
      'contact',
      'address',
      'preferred_time',
      'confirmation',
      'anything_else',
    ]);
    expect(turns[4]?.quickReplies.map((q) => q.payload)).toEqual(['yes', 'no']);
    expect(turns[4]?.state.conversation_stage).toBe('confirming');
    const last = turns[5]!;
    expect(last.state.conversation_stage).toBe('completed');
    const fields = {
      service: 'Kitchen remodeling',
      name: 'Dana Whitfield',
      email: 'dana@whitfield.me',
      address: '1418 Maple Grove Ln, Austin TX',
      preferred_time: 'Tuesday afternoon',
    };
    expect(last.actions).toEqual([
      { type: 'create_lead', fields, intent: 'kitchen_remodel' },
      {
        type: 'request_appointment',
        fields,
        preferredTime: 'Tuesday afternoon',
        // The afternoon of the day it is said, in the tenant's zone (New York).
        slot: {
          text: 'Tuesday afternoon',
          start: '2026-03-10T12:00:00-04:00',
          end: '2026-03-10T17:00:00-04:00',
          asap: false,
        },
      },
    ]);
    expect(last.reply).toContain('will e-mail you shortly');
  });

  it('offers the catalogue as quick replies while asking for the service', async () => {
    const turns = await play([
      { text: 'quote please', payload: 'quote' },
      { text: 'Sam' },
      { text: '512-555-0187', a: { entities: { phones: ['+15125550187'] } } },
    ]);
    expect(turns[2]?.state.next_expected_input).toBe('service');
    expect(turns[2]?.quickReplies.map((q) => q.title)).toEqual([
      'Kitchen remodeling',
      'Roofing',
      'Plumbing',
      'Heating & cooling',
    ]);
    const next = await play([{ text: 'Roofing', payload: 'service:Roofing' }], dialogConfig(), OPEN, turns[2]!.state);
    expect(next[0]?.state.collected.service).toBe('Roofing');
  });

  it('re-asks on an invalid e-mail without counting it as not understood', async () => {
    const cfg = dialogConfig({ collectFields: ['email'] });
    const turns = await play([kitchen, { text: 'dana@whitfield' }, { text: 'dana@whitfield' }], cfg);
    expect(turns[1]?.reply).toContain("doesn't look complete");
    expect(turns[2]?.state.conversation_stage).toBe('collecting');
    expect(turns[2]?.state.low_confidence_turns).toBe(0);
  });

  it('promises the next opening instead of "shortly" when closed', async () => {
    const cfg = dialogConfig({ collectFields: ['name', 'phone'] });
    const turns = await play(
      [
        kitchen,
        { text: 'Dana' },
        { text: '512 555 0187', a: { entities: { phones: ['+15125550187'] } } },
        { text: 'yes' },
      ],
      cfg,
      SATURDAY,
    );
    expect(turns[3]?.reply).toContain(
      "We're closed right now; we open Monday at 9:00 AM and someone will call you then.",
    );
    expect(turns[3]?.open).toBe(false);
  });

  it('asks what to change on no, and returns to confirmation with the new value', async () => {
    const cfg = dialogConfig({ collectFields: ['name', 'phone'] });
    const turns = await play(
      [
        kitchen,
        { text: 'Dana' },
        { text: '512 555 0187', a: { entities: { phones: ['+15125550187'] } } },
        { text: 'No', payload: 'no' },
        { text: 'Change name', payload: 'change:name' },
        { text: 'Diana' },
        { text: 'yes' },
      ],
      cfg,
    );
    expect(turns[3]?.reply).toContain('what should I change');
    expect(turns[3]?.quickReplies.map((q) => q.payload)).toEqual(['change:name', 'change:phone']);
    expect(turns[4]?.state.next_expected_input).toBe('name');
    expect(turns[5]?.state.conversation_stage).toBe('confirming');
    expect(turns[6]?.actions[0]).toMatchObject({
      type: 'create_lead',
      fields: { name: 'Diana', phone: '+15125550187' },
    });
  });

  it('hands off on request with a briefing of who, what and what was collected', async () => {
    const turns = await play([
      kitchen,
      { text: 'Dana Whitfield' },
      { text: 'can I talk to a real person', a: { sentiment: 'neutral' } },
    ]);
    const last = turns[2]!;
    expect(last.state.conversation_stage).toBe('handed_off');
    expect(last.actions).toHaveLength(1);
    const action = last.actions[0]!;
    expect(action.type).toBe('handoff');
    if (action.type !== 'handoff') return;
    expect(action.briefing).toMatchObject({
      reason: 'requested',
      // Every field collected, the service too, so the person taking over asks for none of it again.
      customer: { name: 'Dana Whitfield', service: 'Kitchen remodeling' },
      intent: 'kitchen_remodel',
      sentiment: 'neutral',
    });
    expect(action.briefing.request).toContain('I want my kitchen redone');
    expect(action.briefing.summary).toContain('service Kitchen remodeling');
    expect(last.reply).toContain('shortly');
  });

  it('hands off after two consecutive turns under the confidence threshold, not after one', async () => {
    const unsure = { text: 'the thing with the stuff', a: { intent: 'pricing_inquiry', intent_confidence: 0.3 } };
    const once = await play([unsure, { text: 'hi' }, unsure]);
    expect(once.map((t) => t.state.low_confidence_turns)).toEqual([1, 0, 1]);
    expect(once.flatMap((t) => t.actions)).toEqual([]);
    const twice = await play([unsure, unsure]);
    expect(twice[0]?.reply).toBe("I'm sorry, I didn't understand. Could you please rephrase?");
    expect(twice[1]?.actions[0]).toMatchObject({ type: 'handoff', briefing: { reason: 'low_confidence' } });
    // The same message is understood under a lower threshold.
    const lenient = await play([unsure, unsure], dialogConfig({ confidenceThreshold: 0.2 }));
    expect(lenient.flatMap((t) => t.actions).filter((a) => a.type === 'handoff')).toEqual([]);
  });

  it('hands off on strongly negative sentiment and on the tenant escalation trigger', async () => {
    const angry = await play([{ text: 'worst service ever', a: { sentiment: 'negative', sentiment_score: -0.85 } }]);
    expect(angry[0]?.actions[0]).toMatchObject({
      type: 'handoff',
      briefing: { reason: 'negative_sentiment', sentiment: 'negative' },
    });
    expect(angry[0]?.reply).toContain('sorry');
    const annoyed = await play([
      {
        text: 'my faucet is dripping',
        a: { intent: 'plumbing', intent_confidence: 0.9, sentiment: 'negative', sentiment_score: -0.45 },
      },
    ]);
    expect(annoyed[0]?.actions).toEqual([]);
    // The job told in strong words is not anger at us; the same words aimed at us are.
    const job = {
      text: 'our pump is making a horrible grinding noise',
      a: { intent: 'plumbing', intent_confidence: 0.9, sentiment: 'negative' as const, sentiment_score: -0.8 },
    };
    expect((await play([job]))[0]?.actions).toEqual([]);
    const blamed = { ...job, text: 'your guy left our pump making a horrible grinding noise' };
    expect((await play([blamed]))[0]?.actions[0]).toMatchObject({ briefing: { reason: 'negative_sentiment' } });
    const trigger = await play(
      [{ text: 'I want a Refund-Request now' }],
      dialogConfig({ escalationTrigger: 'refund request' }),
    );
    expect(trigger[0]?.actions[0]).toMatchObject({ type: 'handoff', briefing: { reason: 'escalation_trigger' } });
  });

  it('says when a person will take over out of hours', async () => {
    const turns = await play([{ text: 'agent please' }], dialogConfig(), SATURDAY);
    expect(turns[0]?.reply).toContain('we open Monday at 9:00 AM');
    expect(turns[0]?.reply).toContain('phone number or e-mail');
  });

  it('answers from the knowledge base and built-in hours, with menu quick replies', async () => {
    const turns = await play([
      { text: 'do you offer financing?' },
      { text: 'what are your hours?', a: { intent: 'business_hours', intent_confidence: 1 } },
    ]);
    expect(turns[0]?.reply).toContain('GreenSky');
    expect(turns[0]?.state.conversation_stage).toBe('information_provided');
    expect(turns[1]?.reply).toContain('Monday–Friday 9:00 AM–5:00 PM');
    expect(turns[1]?.quickReplies.map((q) => q.title)).toContain('Talk to a person');
  });

  it('answers a question about days in the plural from the opening hours, not as a time asked for', async () => {
    const turns = await play([kitchen, { text: 'any chance you do sundays' }]);
    expect(turns[1]?.reply).toContain('Monday–Friday 9:00 AM–5:00 PM');
    expect(turns[1]?.state.next_expected_input).toBe(turns[0]?.state.next_expected_input);
    expect(turns[1]?.state.collected.preferred_time).toBeUndefined();
  });

  it('takes the support path: an offer of a person, who takes over on yes', async () => {
    const turns = await play([
      { text: 'I was billed twice', a: { intent: 'billing_issue', intent_confidence: 0.9 } },
      { text: 'yes please' },
    ]);
    expect(turns[0]?.state.next_expected_input).toBe('handoff_offer');
    expect(turns[0]?.quickReplies[0]?.payload).toBe('human');
    expect(turns[1]?.actions[0]).toMatchObject({
      type: 'handoff',
      briefing: { reason: 'requested', intent: 'billing_issue' },
    });
  });

  it('rewrites the reply through the phrasing hook with instructions and knowledge, and falls back on failure', async () => {
    const cfg = dialogConfig({ customInstructions: 'Be brief.' });
    const phrase = vi.fn((draft: string) => Promise.resolve(`✨ ${draft}`));
    const turn = await dialog.turn(
      cfg,
      { text: 'do you offer financing?', state: initialState(), analysis: analysis(), now: OPEN },
      phrase,
    );
    expect(turn.reply.startsWith('✨ Yes, through GreenSky')).toBe(true);
    expect(phrase).toHaveBeenCalledWith(expect.stringContaining('GreenSky'), {
      instructions: 'Be brief.',
      knowledge: [expect.objectContaining({ id: 'faq_1' })],
      message: 'do you offer financing?',
    });
    const failing = await dialog.turn(
      cfg,
      { text: 'do you offer financing?', state: initialState(), analysis: analysis(), now: OPEN },
      () => Promise.reject(new Error('llm down')),
    );
    expect(failing.reply).toContain('Yes, through GreenSky');
    const empty = await dialog.turn(
      cfg,
      { text: 'do you offer financing?', state: initialState(), analysis: analysis(), now: OPEN },
      () => Promise.resolve('  '),
    );
    expect(empty.reply).toContain('Yes, through GreenSky');
  });

  it('keeps the conversation state in the contract shape and merges entities', async () => {
    const turns = await play([kitchen, { text: 'Dana', a: { entities: { dates: ['2026-03-12'] } } }]);
    const state = turns[1]!.state;
    expect(Object.keys(state).sort()).toEqual([
      'collected',
      'conversation_stage',
      'current_intent',
      'entities',
      'low_confidence_turns',
      'next_expected_input',
    ]);
    expect(state.entities).toMatchObject({
      project_type: 'kitchen_remodel',
      dates: ['2026-03-12'],
      request: 'I want my kitchen redone',
    });
    expect(turns[1]?.intent).toEqual({ name: 'unknown', confidence: 0 });
  });
});
