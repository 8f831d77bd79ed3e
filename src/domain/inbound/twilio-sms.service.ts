import type { z } from 'zod';
import { twilioSmsSchema } from '../../channels/twilio.js';
import type { Clock } from '../../lib/clock.js';
import { readAppointmentAnswer, type AppointmentAnswer, type AppointmentsService } from '../appointments/index.js';
import type { ComplianceService } from '../compliance/index.js';
import type { ConversationInbox } from '../conversations/index.js';
import { normalisePhone, type ContactsService } from '../identity/index.js';
import {
  handleTwilioRequest,
  type TwilioHook,
  type TwilioRequestPorts,
  type VerifiedTwilioRequest,
} from './twilio-request.js';

/**
 * Twilio's inbound SMS webhook (spec C `POST /twilio/sms`), once `handleTwilioRequest` named the
 * tenant and checked the signature. In order: consent keywords (STOP,
 * START, HELP) through compliance, a text from the owner's phone (`channels.twilio.owner_phone`),
 * which the surface answers with the owner's day, the customer's answer about their next
 * appointment, else the conversation core's turn on channel `sms`. The answer is the one reply to
 * send back, if any.
 */

export interface TwilioSmsAnswer {
  tenantId: string;
  /** What the conversation says back; absent when nothing should be said (an opted-out sender). */
  reply?: string;
  /** Which step answered; `owner` leaves the reply (the owner's day) to the caller. */
  handledBy: 'compliance' | 'owner' | 'appointment' | 'conversation';
}

export interface TwilioSmsPorts extends TwilioRequestPorts {
  clock: Clock;
  compliance: Pick<ComplianceService, 'handleInbound'>;
  appointments: Pick<AppointmentsService, 'nextForContact' | 'setStatus'>;
  contacts: Pick<ContactsService, 'resolveByKeys'>;
  inbox: ConversationInbox;
}

export interface TwilioSmsService {
  receive(hook: TwilioHook): Promise<TwilioSmsAnswer>;
}

const ANSWER_REPLIES: Record<AppointmentAnswer, string> = {
  confirmed: 'Thanks, your appointment is confirmed.',
  cancelled: 'Your appointment has been cancelled. Text us any time to book again.',
  reschedule_requested: 'No problem. What day and time would suit you better?',
};

/** CONFIRM / cancel / RESCHEDULE acting on the sender's next appointment; undefined when there is none or the text is not one. */
async function appointmentAnswer(
  ports: TwilioSmsPorts,
  tenantId: string,
  phone: string,
  text: string,
): Promise<string | undefined> {
  const answer = readAppointmentAnswer(text);
  if (!answer) return undefined;
  const contact = await ports.contacts.resolveByKeys(tenantId, { phone });
  const next = contact && (await ports.appointments.nextForContact(tenantId, contact.id));
  if (!next) return undefined;
  await ports.appointments.setStatus(tenantId, next.id, answer, ports.clock.now().toISOString());
  return ANSWER_REPLIES[answer];
}

async function answerSms(
  ports: TwilioSmsPorts,
  hook: TwilioHook,
  { tenantId, settings, form: sms }: VerifiedTwilioRequest<z.infer<typeof twilioSmsSchema>>,
): Promise<TwilioSmsAnswer> {
  const phone = normalisePhone(sms.From) ?? sms.From;
  const consent = await ports.compliance.handleInbound(tenantId, phone, 'sms', sms.Body);
  if (consent)
    return consent.kind === 'silent'
      ? { tenantId, handledBy: 'compliance' }
      : { tenantId, reply: consent.reply, handledBy: 'compliance' };
  const owner = settings?.owner_phone ? (normalisePhone(settings.owner_phone) ?? settings.owner_phone) : undefined;
  if (owner === phone) return { tenantId, handledBy: 'owner' };
  const answered = await appointmentAnswer(ports, tenantId, phone, sms.Body);
  if (answered) return { tenantId, reply: answered, handledBy: 'appointment' };
  const result = await ports.inbox.receive(tenantId, {
    channel: 'sms',
    externalMessageId: sms.MessageSid,
    platformUserId: phone,
    phone,
    text: sms.Body,
    receivedAt: hook.receivedAt,
    context: { to: sms.To },
  });
  return { tenantId, handledBy: 'conversation', ...(result.reply ? { reply: result.reply.text } : {}) };
}

export function createTwilioSmsService(ports: TwilioSmsPorts): TwilioSmsService {
  return {
    receive: (hook) =>
      handleTwilioRequest(ports, hook, twilioSmsSchema, 'sms', (request) => answerSms(ports, hook, request)),
  };
}
