import { channelSettings } from '../../channels/settings.js';
import { twilioForm, twilioSmsSchema, verifyTwilioSignature, type TwilioSms } from '../../channels/twilio.js';
import type { Headers } from '../../channels/channel.js';
import type { Clock } from '../../lib/clock.js';
import { readAppointmentAnswer, type AppointmentAnswer, type AppointmentsService } from '../appointments/index.js';
import type { ComplianceService } from '../compliance/index.js';
import type { ConversationInbox } from '../conversations/index.js';
import { AppError, forbidden, type FieldIssue } from '../errors.js';
import { normalisePhone, type ContactsService } from '../identity/index.js';
import type { CredentialsService, TenantsService } from '../tenants/index.js';
import { ensureActive, firstValue, signatureError } from './receive.js';

/**
 * Twilio's inbound SMS webhook (spec C `POST /twilio/sms`). The tenant is named by `?business_id=`
 * or an `X-API-Key` a proxy adds; when the tenant keeps a Twilio auth token the signature is checked
 * on the form before anything is read into the domain. Then, in order: consent keywords (STOP,
 * START, HELP) through compliance, the customer's answer about their next appointment, else the
 * conversation core's turn on channel `sms`. The answer is the one reply to send back, if any.
 */

export interface TwilioHook {
  rawBody: Buffer;
  headers: Headers;
  query: Record<string, unknown>;
  /** The public URL Twilio called (PUBLIC_BASE_URL and the path with its query): what Twilio signed. */
  url: string;
  receivedAt: Date;
}

export interface TwilioSmsAnswer {
  tenantId: string;
  /** What the conversation says back; absent when nothing should be said (an opted-out sender). */
  reply?: string;
  /** Which step answered. */
  handledBy: 'compliance' | 'appointment' | 'conversation';
}

export interface TwilioSmsPorts {
  clock: Clock;
  tenants: Pick<TenantsService, 'getConfigWithSecrets' | 'statusOf'>;
  credentials: Pick<CredentialsService, 'authenticate'>;
  compliance: Pick<ComplianceService, 'handleInbound'>;
  appointments: Pick<AppointmentsService, 'nextForContact' | 'setStatus'>;
  contacts: Pick<ContactsService, 'resolveByKeys'>;
  inbox: ConversationInbox;
}

export interface TwilioSmsService {
  receive(hook: TwilioHook): Promise<TwilioSmsAnswer>;
}

/** `?business_id=` or the tenant of an `X-API-Key`; both, only when they agree. */
async function tenantOf(ports: TwilioSmsPorts, hook: TwilioHook): Promise<string> {
  const named = firstValue(hook.query.business_id);
  const key = firstValue(hook.headers['x-api-key']);
  const keyTenant = key ? (await ports.credentials.authenticate(key))?.tenantId : undefined;
  if (key && !keyTenant) throw new AppError('UNAUTHENTICATED', 'Invalid or expired credential in x-api-key');
  if (named && keyTenant && named !== keyTenant)
    throw forbidden('The API key does not belong to the business named in business_id');
  const tenantId = named ?? keyTenant;
  if (!tenantId) throw new AppError('UNAUTHENTICATED', 'Name the business with ?business_id= or an X-API-Key header');
  await ensureActive(ports.tenants, tenantId);
  return tenantId;
}

/** Checks the signature when the tenant keeps an auth token, then reads the form. */
async function verifiedSms(ports: TwilioSmsPorts, tenantId: string, hook: TwilioHook): Promise<TwilioSms> {
  const form = twilioForm(hook.rawBody);
  const settings = channelSettings(await ports.tenants.getConfigWithSecrets(tenantId), 'twilio');
  if (settings?.auth_token) {
    const check = verifyTwilioSignature(settings.auth_token, hook.headers, hook.url, form);
    if (!check.ok) throw signatureError(check, 'Twilio');
  }
  const parsed = twilioSmsSchema.safeParse(form);
  if (!parsed.success) {
    const fields: FieldIssue[] = parsed.error.issues.map((i) => ({
      field: i.path.map(String).join('.') || 'body',
      issue: i.message,
      type: i.code,
    }));
    throw new AppError('VALIDATION', 'Not a Twilio SMS webhook payload', { fields });
  }
  return parsed.data;
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

async function receiveSms(ports: TwilioSmsPorts, hook: TwilioHook): Promise<TwilioSmsAnswer> {
  const tenantId = await tenantOf(ports, hook);
  const sms = await verifiedSms(ports, tenantId, hook);
  const phone = normalisePhone(sms.From) ?? sms.From;
  const consent = await ports.compliance.handleInbound(tenantId, phone, 'sms', sms.Body);
  if (consent)
    return consent.kind === 'silent'
      ? { tenantId, handledBy: 'compliance' }
      : { tenantId, reply: consent.reply, handledBy: 'compliance' };
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
  return { receive: (hook) => receiveSms(ports, hook) };
}
