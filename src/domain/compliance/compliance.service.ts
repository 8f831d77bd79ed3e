import type { Clock } from '../../lib/clock.js';
import { newId } from '../../lib/ids.js';
import { normalisePhone } from '../identity/index.js';
import type { TenantsService } from '../tenants/index.js';
import type { ComplianceConfig } from './compliance.config.js';
import type { ConsentChange, ConsentEvent, ConsentRepo, ConsentSource } from './consent.repo.js';
import { readConsentIntent } from './keywords.js';
import { nextOpening } from './quiet-hours.js';
import { recipientZone } from './recipient-zone.js';

/** Whether a message may go to a number now, and if not, why and until when. */
export type ContactDecision =
  { kind: 'allowed' } | { kind: 'opted_out'; since: string } | { kind: 'quiet'; until: Date; zone: string };

/** What an inbound message did to consent, and the one reply it gets (none: stay silent). */
export type KeywordOutcome =
  | { kind: 'opted_out'; reply: string }
  | { kind: 'opted_in'; reply: string }
  | { kind: 'help'; reply: string }
  /** The sender had opted out and wrote something else: nothing is said. */
  | { kind: 'silent' };

export interface ConsentState {
  phone: string;
  channel: string;
  optedOut: boolean;
  since: string | null;
}

export interface ComplianceService {
  /** Consent keywords first: undefined when the message is ordinary conversation for a number that may be answered. */
  handleInbound(tenantId: string, phone: string, channel: string, text: string): Promise<KeywordOutcome | undefined>;
  /** The one gate every outbound message to a phone passes: consent, then the recipient's allowed hours (SMS). */
  mayContact(tenantId: string, phone: string, channel: string, now: Date): Promise<ContactDecision>;
  /** Records a change made other than by a message (an operator, an import). */
  recordChange(
    tenantId: string,
    phone: string,
    channel: string,
    change: ConsentChange,
    source: ConsentSource,
  ): Promise<ConsentEvent>;
  state(tenantId: string, phone: string, channel: string): Promise<ConsentState>;
  history(tenantId: string, phone: string): Promise<ConsentEvent[]>;
}

export interface CompliancePorts {
  clock: Clock;
  repo: ConsentRepo;
  tenants: Pick<TenantsService, 'get'>;
}

const DEFAULT_REPLIES = {
  optOut: 'You have been unsubscribed and will receive no more messages. Reply START to resubscribe.',
  optIn: 'You have been resubscribed. Reply STOP to unsubscribe, HELP for help.',
  help: 'Reply STOP to unsubscribe. Msg & data rates may apply.',
};

/** Channels where quiet hours apply: text messages to a phone. */
const QUIET_CHANNELS = new Set(['sms']);

const e164 = (phone: string): string => normalisePhone(phone) ?? phone;

async function settingsOf(ports: CompliancePorts, tenantId: string) {
  const tenant = await ports.tenants.get(tenantId);
  const config: ComplianceConfig = tenant.config.compliance ?? {};
  return { config, zone: tenant.config.general?.timezone ?? tenant.timezone, name: tenant.name };
}

async function record(
  ports: CompliancePorts,
  tenantId: string,
  event: Omit<ConsentEvent, 'id' | 'createdAt'>,
): Promise<ConsentEvent> {
  const now = ports.clock.now();
  const stored = { ...event, id: newId('cons', now.getTime()), createdAt: now.toISOString() };
  await ports.repo.insert(tenantId, stored);
  return stored;
}

async function handleInbound(
  ports: CompliancePorts,
  tenantId: string,
  rawPhone: string,
  channel: string,
  text: string,
): Promise<KeywordOutcome | undefined> {
  const phone = e164(rawPhone);
  const match = readConsentIntent(text);
  const optedOut = (await ports.repo.latest(tenantId, phone, channel))?.change === 'opt_out';
  const { config, name } = await settingsOf(ports, tenantId);
  const evidence = text.slice(0, 320);
  if (match?.intent === 'opt_out') {
    // A second STOP changes nothing and is not answered: one confirmation, then silence.
    if (optedOut) return { kind: 'silent' };
    await record(ports, tenantId, { phone, channel, change: 'opt_out', source: match.source, evidence });
    return { kind: 'opted_out', reply: config.opt_out_reply ?? DEFAULT_REPLIES.optOut };
  }
  if (match?.intent === 'help') return { kind: 'help', reply: config.help_text ?? `${name}: ${DEFAULT_REPLIES.help}` };
  // YES and START mean "opt in" only to someone who opted out; otherwise they are conversation ("yes, book it").
  if (match?.intent === 'opt_in' && optedOut) {
    await record(ports, tenantId, { phone, channel, change: 'opt_in', source: match.source, evidence });
    return { kind: 'opted_in', reply: config.opt_in_reply ?? DEFAULT_REPLIES.optIn };
  }
  return optedOut ? { kind: 'silent' } : undefined;
}

async function mayContact(
  ports: CompliancePorts,
  tenantId: string,
  rawPhone: string,
  channel: string,
  now: Date,
): Promise<ContactDecision> {
  const phone = e164(rawPhone);
  const latest = await ports.repo.latest(tenantId, phone, channel);
  if (latest?.change === 'opt_out') return { kind: 'opted_out', since: latest.createdAt };
  if (!QUIET_CHANNELS.has(channel)) return { kind: 'allowed' };
  const { config, zone: tenantZone } = await settingsOf(ports, tenantId);
  if (!config.allowed_hours) return { kind: 'allowed' };
  const zone = recipientZone(phone) ?? tenantZone;
  const until = nextOpening(now, zone, config.allowed_hours);
  return until ? { kind: 'quiet', until, zone } : { kind: 'allowed' };
}

export function createComplianceService(ports: CompliancePorts): ComplianceService {
  return {
    handleInbound: (tenantId, phone, channel, text) => handleInbound(ports, tenantId, phone, channel, text),
    mayContact: (tenantId, phone, channel, now) => mayContact(ports, tenantId, phone, channel, now),
    recordChange: (tenantId, phone, channel, change, source) =>
      record(ports, tenantId, { phone: e164(phone), channel, change, source, evidence: null }),
    async state(tenantId, phone, channel) {
      const latest = await ports.repo.latest(tenantId, e164(phone), channel);
      return {
        phone: e164(phone),
        channel,
        optedOut: latest?.change === 'opt_out',
        since: latest ? latest.createdAt : null,
      };
    },
    history: (tenantId, phone) => ports.repo.history(tenantId, e164(phone)),
  };
}
