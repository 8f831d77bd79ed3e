import { describe, expect, it } from 'vitest';
import { readAppointmentAnswer } from '../../../src/domain/appointments/index.js';

describe('readAppointmentAnswer', () => {
  it.each([
    ['CONFIRM', 'confirmed'],
    ['confirmed, thanks', 'confirmed'],
    ['cancel my appointment', 'cancelled'],
    ['Cancel the appt please', 'cancelled'],
    ['RESCHEDULE', 'reschedule_requested'],
    ['reschedule to Friday?', 'reschedule_requested'],
    ['CANCEL', undefined],
    ['can you confirm the price for a new boiler first please', undefined],
    ['I want to cancel', undefined],
    ['hello', undefined],
    ['', undefined],
  ])('reads %j as %s', (text, expected) => {
    expect(readAppointmentAnswer(text)).toBe(expected);
  });
});
