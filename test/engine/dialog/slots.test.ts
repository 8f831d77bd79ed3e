import { describe, expect, it } from 'vitest';
import type { AnalysisResult } from '../../../src/engine/analysis.schema.js';
import type { DialogConfig } from '../../../src/engine/dialog/dialog.js';
import {
  CONTACT,
  matchService,
  nextSlot,
  readAnswer,
  readName,
  serviceFromEngineId,
  timePhrase,
  validEmail,
  volunteered,
} from '../../../src/engine/dialog/slots.js';
import { analysis, dialogConfig } from './fixtures.js';

const cfg: DialogConfig = dialogConfig();
const blank: AnalysisResult = analysis();

describe('slot filling', () => {
  it('asks phone and e-mail as one question when both are collected, and skips what is known or declined', () => {
    const fields = cfg.collectFields;
    expect(nextSlot(fields, {}, [])).toBe('name');
    expect(nextSlot(fields, { name: 'Dana' }, [])).toBe(CONTACT);
    expect(nextSlot(fields, { name: 'Dana', email: 'd@x.io' }, [])).toBe('service');
    expect(nextSlot(fields, { name: 'Dana', phone: '+15125550187', service: 'Roofing' }, ['address'])).toBe(
      'preferred_time',
    );
    expect(nextSlot(['name', 'phone'], { name: 'Dana', email: 'd@x.io' }, [])).toBe('phone');
    expect(nextSlot(['name'], { name: 'Dana' }, [])).toBeNull();
  });

  it('validates e-mail shape and re-asks on an incomplete one', () => {
    expect(validEmail('priya.raman@gmail.com')).toBe(true);
    expect(validEmail('priya.raman@gmail')).toBe(false);
    const bad = readAnswer(CONTACT, 'priya.raman@gmail', blank, cfg);
    expect(bad).toMatchObject({ ok: false });
    expect(bad.ok === false && bad.reason).toContain("doesn't look complete");
    expect(readAnswer('email', 'sure: priya.raman@gmail.com', blank, cfg)).toEqual({
      ok: true,
      field: 'email',
      value: 'priya.raman@gmail.com',
    });
  });

  it('parses phone numbers with libphonenumber and rejects unreadable ones', () => {
    expect(readAnswer('phone', '(512) 555-0187', blank, cfg)).toEqual({
      ok: true,
      field: 'phone',
      value: '+15125550187',
    });
    expect(readAnswer(CONTACT, '555-12', blank, cfg)).toMatchObject({ ok: false });
    expect(readAnswer('phone', 'priya@example.com', blank, cfg)).toMatchObject({ ok: false });
  });

  it('reads names from short answers and rejects non-names', () => {
    expect(readName("it's maria lopez")).toBe('Maria Lopez');
    expect(readName('Chris and Amanda Patel')).toBe('Chris and Amanda Patel');
    expect(readName('512-555-0187')).toBeNull();
    expect(readName('tomorrow afternoon if possible')).toBeNull();
    expect(readAnswer('name', 'Dana Whitfield', blank, cfg)).toEqual({
      ok: true,
      field: 'name',
      value: 'Dana Whitfield',
    });
  });

  it('matches services from the catalogue, engine project types and intents', () => {
    expect(matchService('the kitchen please', cfg.services)).toBe('Kitchen remodeling');
    expect(serviceFromEngineId('hvac_repair', cfg)).toBe('Heating & cooling');
    expect(readAnswer('service', 'something for my garden', blank, cfg)).toMatchObject({ ok: false });
    expect(readAnswer('service', 'roof', blank, cfg)).toEqual({ ok: true, field: 'service', value: 'Roofing' });
    expect(serviceFromEngineId('plumbing', { services: [], serviceAliases: {} })).toBe('Plumbing');
  });

  it('accepts a time of day, lets optional fields be declined, and re-asks otherwise', () => {
    expect(readAnswer('preferred_time', 'weekday mornings', blank, cfg)).toEqual({
      ok: true,
      field: 'preferred_time',
      value: 'weekday mornings',
    });
    expect(readAnswer('preferred_time', 'no preference', blank, cfg)).toEqual({ ok: 'declined' });
    expect(readAnswer('preferred_time', "any time, I'm flexible", blank, cfg)).toEqual({ ok: 'declined' });
    expect(readAnswer('address', 'skip that and no preference', blank, cfg)).toEqual({ ok: 'declined' });
    expect(readAnswer('preferred_time', 'any time next week', blank, cfg)).toMatchObject({ ok: true });
    expect(readAnswer('preferred_time', 'purple', blank, cfg)).toMatchObject({ ok: false });
    expect(readAnswer('address', 'skip', blank, cfg)).toEqual({ ok: 'declined' });
    expect(readAnswer('address', 'wrong number, use 512-555-0188', blank, cfg)).toMatchObject({ ok: false });
    expect(readAnswer('name', 'skip', blank, cfg)).toMatchObject({ ok: true });
    expect(timePhrase('no, make it Thursday afternoon instead')).toBe('Thursday afternoon');
  });

  it('does not read a request to be booked as a name', () => {
    expect(readName('ok sign me up')).toBeNull();
    expect(readName('great book us in')).toBeNull();
    expect(readName('Booker Jones')).toBe('Booker Jones');
  });

  it('accepts a habit as the time: plural days and parts of day, an hour after or before', () => {
    for (const said of ['weekends after 10', 'evenings', 'most nights before 8', 'tuesdays or thursdays']) {
      expect(readAnswer('preferred_time', said, blank, cfg)).toMatchObject({ ok: true, value: said });
    }
    expect(readAnswer('preferred_time', 'after my kid', blank, cfg)).toMatchObject({ ok: false });
  });

  it('takes volunteered values from the engine entities', () => {
    const a = analysis({
      entities: {
        emails: ['tom@becker.me', 'bad@nodomain'],
        phones: ['+17375550144'],
        person_name: 'tom becker',
        address: '88 Cedar Bend Dr',
        project_type: 'plumbing',
      },
    });
    expect(volunteered(a, cfg)).toEqual({
      email: 'tom@becker.me',
      phone: '+17375550144',
      name: 'Tom Becker',
      address: '88 Cedar Bend Dr',
      service: 'Plumbing',
    });
  });
});
