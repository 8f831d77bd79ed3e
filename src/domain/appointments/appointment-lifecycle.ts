import { AppError, invalid } from '../errors.js';
import type { Appointment, AppointmentChange } from './appointment-record.js';

/**
 * What confirming, rescheduling and cancelling change on an appointment, and which of them its
 * status allows. Pure: the service loads the appointment and writes the change.
 */

const CLOSED = new Set(['cancelled', 'completed']);

const conflict = (a: Appointment, message: string) =>
  new AppError('CONFLICT', `Appointment '${a.id}' ${message}`, { details: { status: a.status } });

function refuseClosed(a: Appointment, action: string): void {
  if (CLOSED.has(a.status)) throw conflict(a, `is ${a.status}, so it cannot be ${action}`);
}

/** Where an appointment stands: its booked start, else the start of the time the customer asked for. */
export function placeOf(a: Appointment): { at: string | null; kind: 'booked' | 'requested' } {
  if (a.startTime) return { at: new Date(a.startTime).toISOString(), kind: 'booked' };
  return { at: a.requestedStart ? new Date(a.requestedStart).toISOString() : null, kind: 'requested' };
}

/**
 * Confirming books the time: the booked start, else the exact time the customer asked for. A
 * window ("tomorrow morning") names no time, so it is rescheduled to one first.
 */
export function confirmChange(a: Appointment, now: Date): AppointmentChange {
  refuseClosed(a, 'confirmed');
  if (a.status === 'confirmed') throw conflict(a, 'is already confirmed');
  const exact = a.requestedStart && !a.requestedEnd ? a.requestedStart : null;
  const start = a.startTime ?? exact;
  if (!start) throw conflict(a, 'has no exact time yet: reschedule it to a time, then confirm it');
  const at = new Date(start);
  if (at.getTime() <= now.getTime()) throw conflict(a, 'starts in the past: reschedule it to a later time first');
  return { status: 'confirmed', startTime: at.toISOString() };
}

/** A new start, kept as long as the booking was; the new time waits for a confirmation (`scheduled`). */
export function rescheduleChange(a: Appointment, start: Date, now: Date): AppointmentChange {
  refuseClosed(a, 'rescheduled');
  if (start.getTime() <= now.getTime())
    throw invalid([{ field: 'start', issue: 'must be in the future', location: 'body' }], 'start is in the past');
  const length = a.startTime && a.endTime ? Date.parse(a.endTime) - Date.parse(a.startTime) : null;
  return {
    status: 'scheduled',
    startTime: start.toISOString(),
    endTime: length === null ? null : new Date(start.getTime() + length).toISOString(),
  };
}

export function cancelChange(a: Appointment, reason: string | null): AppointmentChange {
  if (a.status === 'cancelled') throw conflict(a, 'is already cancelled');
  refuseClosed(a, 'cancelled');
  return { status: 'cancelled', cancelReason: reason };
}
