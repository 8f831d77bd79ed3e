import { describe, expect, it } from 'vitest';
import {
  cancelChange,
  confirmChange,
  placeOf,
  rescheduleChange,
} from '../../../src/domain/appointments/appointment-lifecycle.js';
import type { Appointment } from '../../../src/domain/appointments/index.js';
import { AppError } from '../../../src/domain/errors.js';

const NOW = new Date('2030-01-01T12:00:00Z');
const appointment = (over: Partial<Appointment> = {}): Appointment => ({
  id: 'appt_1',
  conversationId: null,
  contactId: null,
  leadId: null,
  preferredTime: null,
  requestedStart: null,
  requestedEnd: null,
  fields: {},
  source: 'crm',
  status: 'scheduled',
  startTime: '2030-01-02T09:00:00.000Z',
  endTime: '2030-01-02T10:00:00.000Z',
  serviceType: null,
  description: null,
  isEmergency: false,
  estimatedValue: null,
  technician: null,
  tags: [],
  cancelReason: null,
  createdAt: '2029-12-30T00:00:00.000Z',
  updatedAt: '2029-12-30T00:00:00.000Z',
  ...over,
});
const codeOf = (run: () => unknown) => {
  try {
    run();
  } catch (e) {
    return e instanceof AppError ? e.code : 'other';
  }
  return 'none';
};

describe('appointment lifecycle', () => {
  it('places a booked appointment at its start and a request at the start of its window', () => {
    expect(placeOf(appointment())).toEqual({ at: '2030-01-02T09:00:00.000Z', kind: 'booked' });
    const request = appointment({ startTime: null, endTime: null, requestedStart: '2030-01-02T09:00:00-05:00' });
    expect(placeOf(request)).toEqual({ at: '2030-01-02T14:00:00.000Z', kind: 'requested' });
    expect(placeOf(appointment({ startTime: null, endTime: null }))).toEqual({ at: null, kind: 'requested' });
  });

  it('confirms an open appointment with a future time, and only that', () => {
    expect(confirmChange(appointment(), NOW)).toEqual({ status: 'confirmed', startTime: '2030-01-02T09:00:00.000Z' });
    expect(codeOf(() => confirmChange(appointment({ status: 'confirmed' }), NOW))).toBe('CONFLICT');
    expect(codeOf(() => confirmChange(appointment({ status: 'cancelled' }), NOW))).toBe('CONFLICT');
    expect(codeOf(() => confirmChange(appointment({ status: 'completed' }), NOW))).toBe('CONFLICT');
    expect(codeOf(() => confirmChange(appointment({ startTime: '2029-12-31T09:00:00Z' }), NOW))).toBe('CONFLICT');
    const window = appointment({
      startTime: null,
      requestedStart: '2030-01-02T09:00:00Z',
      requestedEnd: '2030-01-02T12:00:00Z',
    });
    expect(codeOf(() => confirmChange(window, NOW))).toBe('CONFLICT');
  });

  it('reschedules keeping the length, refusing a past start by its field', () => {
    expect(rescheduleChange(appointment(), new Date('2030-01-05T15:00:00Z'), NOW)).toEqual({
      status: 'scheduled',
      startTime: '2030-01-05T15:00:00.000Z',
      endTime: '2030-01-05T16:00:00.000Z',
    });
    try {
      rescheduleChange(appointment(), new Date('2029-01-01T00:00:00Z'), NOW);
      expect.unreachable();
    } catch (e) {
      expect((e as AppError).fields.map((f) => f.field)).toEqual(['start']);
    }
    expect(codeOf(() => rescheduleChange(appointment({ status: 'cancelled' }), NOW, NOW))).toBe('CONFLICT');
  });

  it('cancels once, with the reason given', () => {
    expect(cancelChange(appointment(), 'moved away')).toEqual({ status: 'cancelled', cancelReason: 'moved away' });
    expect(codeOf(() => cancelChange(appointment({ status: 'cancelled' }), null))).toBe('CONFLICT');
    expect(codeOf(() => cancelChange(appointment({ status: 'completed' }), null))).toBe('CONFLICT');
  });
});
