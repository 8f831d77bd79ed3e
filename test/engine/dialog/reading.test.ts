import { describe, expect, it } from 'vitest';
import { readMessage } from '../../../src/engine/dialog/reading.js';
import { analysis, dialogConfig } from './fixtures.js';

// Tuesday 10:00 in New York.
const NOW = new Date('2026-03-10T14:00:00Z');
const cfg = dialogConfig();
const read = (text: string, pending: Parameters<typeof readMessage>[4] = null) =>
  readMessage(text, analysis(), cfg, NOW, pending);

describe('reading a message toward the lead', () => {
  it('reads a name and a phone given together in answer to the name question', () => {
    expect(read('Dave Miller, 512-555-0199', 'name').fields).toMatchObject({
      name: 'Dave Miller',
      phone: '+15125550199',
    });
  });

  it('reads a name and phone beside a question asked after them, and no name out of an address', () => {
    expect(read('Lucy Gray, 512-555-0133 - also, are you insured?', 'name').fields).toMatchObject({
      name: 'Lucy Gray',
      phone: '+15125550133',
    });
    expect(read('88 Birch Rd, Round Rock TX', 'name').fields.name).toBeUndefined();
  });

  it('reads the name after "mine\'s"', () => {
    expect(read("do I give my name or my son's? mine's Priya Nair", 'name').fields.name).toBe('Priya Nair');
    expect(read('Hi, Priya Raman here - 416-555-0172').fields.name).toBe('Priya Raman');
  });

  it('reads the name after who the customer is to someone ("I\'m her mom, …"), and a number written with its country code', () => {
    expect(read("I'm her mom, Alicia Ramirez", 'name').fields.name).toBe('Alicia Ramirez');
    expect(read("I'm the owner", 'name').fields.name).toBeUndefined();
    expect(read('sorry, please write Katarzyna Nowak, Kasia is only nickname', 'phone').fields.name).toBe(
      'Katarzyna Nowak',
    );
    expect(read('brilliant. +44 7700 900412, olivia.hartley@btinternet.com', 'contact').fields).toMatchObject({
      phone: '+447700900412',
      email: 'olivia.hartley@btinternet.com',
    });
  });

  it('keeps a capitalised name word that is also a function word after "my name"', () => {
    expect(read('ok sure. my name Minh An', 'name').fields.name).toBe('Minh An');
    expect(read('ok sure. my name is on the list', 'name').fields.name).toBeUndefined();
  });

  it('reads a name beside an e-mail, and three details in one answer', () => {
    expect(read('Sofia Rossi, sofia.rossi@gmail.com', 'name').fields).toMatchObject({
      name: 'Sofia Rossi',
      email: 'sofia.rossi@gmail.com',
    });
    expect(read('Chloe Martin, 416-555-0128, chloe.martin@gmail.com', 'contact').fields).toMatchObject({
      name: 'Chloe Martin',
      phone: '+14165550128',
      email: 'chloe.martin@gmail.com',
    });
  });

  it('reads a volunteered name only when it stands beside contact details, capitalised', () => {
    expect(read('water everywhere!! Carla Reyes 512-555-0181').fields.name).toBe('Carla Reyes');
    expect(read('Do you guys service Round Rock?').fields.name).toBeUndefined();
    expect(read('please call 512-555-0181').fields.name).toBeUndefined();
  });

  it('never reads an acknowledgement as a name', () => {
    for (const ack of ['ok', 'yes', 'sure', 'okay sure', 'yep', 'thanks']) {
      expect(read(ack, 'name').fields.name, ack).toBeUndefined();
    }
    expect(read('Tasha', 'name').fields.name).toBe('Tasha');
  });

  it('reads an address given first, with the city and zip after it', () => {
    expect(read('Hi, 4410 Shoal Creek Blvd, Austin 78756 - the water heater is banging').fields.address).toBe(
      '4410 Shoal Creek Blvd, Austin 78756',
    );
    expect(read('adress 45 Rundberg Ln Austin 78753').fields.address).toBe('45 Rundberg Ln Austin 78753');
  });

  it('does not take an e-mail or a phone for the address it asked for', () => {
    expect(read("oops, it's amychen88@gmail.com", 'address').fields.address).toBeUndefined();
  });

  it('reads a time volunteered in a longer message as the words for it, with its slot', () => {
    const reading = read("Can someone look at my furnace tomorrow at 9am? It's blowing cold air");
    expect(reading.fields.preferred_time).toBe('tomorrow at 9am');
    expect(reading.slot?.start).toBe('2026-03-11T09:00:00-04:00');
  });

  it('keeps "no rush" in the preferred time', () => {
    expect(read('no rush, next month', 'preferred_time').fields.preferred_time).toBe('no rush, next month');
  });

  it('does not read a house number or a phone as a time', () => {
    expect(read('1650 S Rural Rd, Tempe AZ 85281', 'address').fields.preferred_time).toBeUndefined();
    expect(read('480-555-0137', 'contact').fields.preferred_time).toBeUndefined();
  });

  it('recognises corrections', () => {
    expect(read("sorry, it's 512-555-0166").correcting).toBe(true);
    expect(read('no, the phone is 512-555-0177').correcting).toBe(true);
    expect(read('sorry wrong number, is 773-555-0190').fields.phone).toBe('+17735550190');
    expect(read("sorry, it's John Smith").fields.name).toBe('John Smith');
    expect(read('512-555-0166').correcting).toBe(false);
  });

  it('recognises a refusal only when nothing is given with it', () => {
    expect(read("I'd rather not give out my phone number", 'phone').refusing).toBe(true);
    expect(read("I don't want to give my number, can you email me instead?", 'phone').refusing).toBe(true);
    expect(read("I'd rather not say my name", 'name').refusing).toBe(true);
    expect(read("I'd rather you call me: 512-555-0100", 'phone').refusing).toBe(false);
  });
});

describe('questions are not names', () => {
  it('does not read a question asked instead of a name as one', () => {
    expect(read('how much per week?', 'name').fields.name).toBeUndefined();
    expect(read('how much does it cost', 'name').fields.name).toBeUndefined();
  });
});
