import type { CollectField, QuickReply } from './dialog.js';
import { CONTACT, FIELD_LABELS, type Slot } from './slots.js';

/** Quick replies that fit where the conversation is; their payloads come back as `DialogTurnInput.payload`. */

export const PAYLOADS = {
  yes: 'yes',
  no: 'no',
  human: 'human',
  hours: 'hours',
  location: 'location',
  quote: 'quote',
} as const;
export const SERVICE_PAYLOAD = 'service:';
export const CHANGE_PAYLOAD = 'change:';

const MAX_SERVICES = 8;

export const TALK_TO_PERSON: QuickReply = { title: 'Talk to a person', payload: PAYLOADS.human };
const OPENING_HOURS: QuickReply = { title: 'Opening hours', payload: PAYLOADS.hours };
const GET_QUOTE: QuickReply = { title: 'Get a quote', payload: PAYLOADS.quote };

export function yesNo(): QuickReply[] {
  return [
    { title: 'Yes', payload: PAYLOADS.yes },
    { title: 'No', payload: PAYLOADS.no },
  ];
}

/** When nothing is pending: the things people most often want. */
export function menu(): QuickReply[] {
  return [GET_QUOTE, OPENING_HOURS, TALK_TO_PERSON];
}

export function afterCompletion(): QuickReply[] {
  return [OPENING_HOURS, TALK_TO_PERSON];
}

export function offerPerson(): QuickReply[] {
  return [TALK_TO_PERSON, { title: 'No thanks', payload: PAYLOADS.no }];
}

/** While a field is asked: the catalogue for `service`, times of day for `preferred_time`. */
export function forSlot(slot: Slot, services: readonly string[]): QuickReply[] {
  if (slot === 'service')
    return services.slice(0, MAX_SERVICES).map((name) => ({ title: name, payload: `${SERVICE_PAYLOAD}${name}` }));
  if (slot === 'preferred_time')
    return ['Morning', 'Afternoon', 'Evening', 'No preference'].map((title) => ({
      title,
      payload: title.toLowerCase(),
    }));
  if (slot === CONTACT || slot === 'phone' || slot === 'email' || slot === 'name') return [];
  return [{ title: 'Skip', payload: 'skip' }];
}

/** At "what should I change?": one button per collected field. */
export function changeChoices(fields: readonly CollectField[]): QuickReply[] {
  return fields.map((field) => ({ title: `Change ${FIELD_LABELS[field]}`, payload: `${CHANGE_PAYLOAD}${field}` }));
}
