import type { Clock } from '../../lib/clock.js';
import type { PlatformStateRepo } from './platform-state.repo.js';

/**
 * The platform's automation switch (spec B's start/stop): the campaign scheduler asks it before each
 * run. It lives in the database, so every process of a fleet and every restart sees the same answer.
 */
export interface Automation {
  isRunning(): Promise<boolean>;
  /** Turns automation on; returns the state now in force. */
  start(): Promise<AutomationState>;
  stop(): Promise<AutomationState>;
  state(): Promise<AutomationState>;
}

export interface AutomationState {
  running: boolean;
  /** When it was last switched; null while it never was. */
  changedAt: string | null;
}

const KEY = 'automation';
// A fresh installation runs the campaigns its tenants start: a tenant who presses start expects
// calls, not a second switch somewhere else. Stop is the operator's brake for every tenant at once.
const NEVER_SWITCHED: AutomationState = { running: true, changedAt: null };

function parse(value: string | undefined): AutomationState {
  if (value === undefined) return NEVER_SWITCHED;
  const parsed = JSON.parse(value) as Partial<AutomationState>;
  return { running: parsed.running === true, changedAt: parsed.changedAt ?? null };
}

export function createAutomation(state: PlatformStateRepo, clock: Clock): Automation {
  const read = async () => parse(await state.get(KEY));
  const write = async (running: boolean) => {
    const next: AutomationState = { running, changedAt: clock.now().toISOString() };
    await state.set(KEY, JSON.stringify(next));
    return next;
  };
  return {
    isRunning: async () => (await read()).running,
    start: () => write(true),
    stop: () => write(false),
    state: read,
  };
}
