import { randomBytes } from 'node:crypto';
import type { Dialer, SimulatedAnswer } from './dialer.js';

/**
 * The local dialer, for demos, tests and benchmarks: no call leaves the machine. Each number is
 * one scripted callee, picked by its last digit so a run is repeatable, unless the caller of
 * `createSimulatorDialer` names callees for particular numbers.
 */

const PERSONAS: readonly SimulatedAnswer[] = [
  { kind: 'no_answer', lines: [] },
  { kind: 'busy', lines: [] },
  { kind: 'voicemail', lines: [] },
  { kind: 'human', lines: ['No thanks, I am not interested.'] },
  { kind: 'human', lines: ['I am busy right now, please call me back tomorrow.'] },
  { kind: 'human', lines: ['Yes, I am interested. What does it cost?', 'My budget is around fifty thousand.'] },
  {
    kind: 'human',
    lines: ['Yes, I am interested.', 'Please book an appointment for a site visit on Saturday.'],
  },
  { kind: 'human', lines: ['Sounds good, tell me more about the pricing.'] },
  { kind: 'no_answer', lines: [] },
  { kind: 'human', lines: ['Not interested, please remove my number.'] },
];

/** The scripted callee of a number: named ones first, else by the number's last digit. */
export function simulatedCallee(phone: string, named: ReadonlyMap<string, SimulatedAnswer> = new Map()) {
  const known = named.get(phone);
  if (known) return known;
  const digit = Number(phone.slice(-1));
  return PERSONAS[Number.isInteger(digit) ? digit : 0] ?? PERSONAS[0]!;
}

export function createSimulatorDialer(named: ReadonlyMap<string, SimulatedAnswer> = new Map()): Dialer {
  return {
    name: 'simulator',
    dial(request) {
      return Promise.resolve({
        callRef: `sim_${randomBytes(12).toString('hex')}`,
        simulated: simulatedCallee(request.to, named),
      });
    },
  };
}
