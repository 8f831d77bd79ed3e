import type { AppointmentsService } from '../domain/appointments/index.js';
import type { sttProvidersFor } from '../domain/calls/index.js';
import type { ComplianceService } from '../domain/compliance/index.js';
import type { InboxService } from '../domain/conversations/index.js';
import { createTwilioSmsService, createTwilioVoiceService } from '../domain/inbound/index.js';
import type { SessionsService } from '../domain/sessions/index.js';
import { createVoiceModule, type Greeter } from '../domain/voice/index.js';
import type { Accounts } from './accounts.js';
import type { LeadsAndCalls } from './leads-and-calls.js';
import type { Platform } from './platform.js';

/** What the phone and SMS entries need from the conversation side, built before them. */
export interface TelephonyParts {
  sessions: SessionsService;
  inbox: InboxService;
  compliance: ComplianceService;
  appointments: AppointmentsService;
  sttProviders: ReturnType<typeof sttProvidersFor>;
  /** The conversation's opening line and state, which a new call hears first. */
  greet: Greeter;
}

/** Spec C's ways in by phone: stored voice and widget sessions, and Twilio's SMS and voice webhooks. */
export function composeTelephony(p: Platform, a: Accounts, l: LeadsAndCalls, parts: TelephonyParts) {
  const { clock, safeHttp } = p;
  const { voiceSessions, speech } = createVoiceModule({
    clock,
    sessions: parts.sessions,
    inbox: parts.inbox,
    tenants: a.tenants,
    sttProvidersFor: parts.sttProviders,
    fetch: safeHttp.fetch,
    greet: parts.greet,
  });
  const twilioSms = createTwilioSmsService({
    clock,
    tenants: a.tenants,
    credentials: a.credentials,
    counters: p.metrics,
    compliance: parts.compliance,
    appointments: parts.appointments,
    contacts: l.contacts,
    inbox: parts.inbox,
  });
  const twilioVoice = createTwilioVoiceService({
    tenants: a.tenants,
    credentials: a.credentials,
    counters: p.metrics,
    inbox: parts.inbox,
  });
  return { voiceSessions, speech, twilioSms, twilioVoice };
}
