import type { ConversationStatus } from './api/app-api';

/** The words people read for the server's codes; an unknown code is shown as it is. */
const STATUS: Record<ConversationStatus, string> = {
  active: 'Bot answering',
  waiting_agent: 'Waiting for a person',
  with_agent: 'With a person',
  closed: 'Closed',
};

export const CONVERSATION_STATUSES = Object.keys(STATUS);

export function isConversationStatus(value: string | null): value is ConversationStatus {
  return value !== null && value in STATUS;
}

/** The channels a conversation arrives on (spec D's list). */
export const CHANNELS = ['web', 'sms', 'voice', 'whatsapp', 'messenger', 'slack', 'teams', 'telegram', 'generic'];

/** The scoring engine's tiers, as the API writes them. */
export const TIERS = ['HOT', 'WARM', 'COLD'];

export function statusLabel(status: string): string {
  return isConversationStatus(status) ? STATUS[status] : status;
}

export function when(iso: string): string {
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** Badge colours dark enough for white text at WCAG AA (Mantine's orange is not, hence the hex). */
export function tierColor(tier: string | null): string {
  const upper = tier?.toUpperCase();
  return upper === 'HOT' ? 'red.9' : upper === 'WARM' ? '#c2410c' : 'gray.7';
}
