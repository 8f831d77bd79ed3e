import { extractEntities } from '../../../src/engine/entities/extract.js';
import { readSignals, type LeadSignals } from '../../../src/engine/signals/read.js';

/** A Saturday afternoon, as the eval reads leads. */
export const NOW = new Date('2025-09-13T14:30:00Z');

/** Every signal family of one text, read as the engine reads a lead's words. */
export function signalsOf(text: string): LeadSignals {
  const extraction = extractEntities(
    { text, fields: {} },
    { reference: NOW, timeZone: 'America/Chicago', region: 'US', services: [] },
  );
  return readSignals(text, extraction);
}
