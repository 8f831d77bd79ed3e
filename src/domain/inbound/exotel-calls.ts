import { z } from 'zod';
import { twilioForm } from '../../channels/twilio.js';
import { safeEqual } from '../../lib/crypto.js';
import { AppError, invalid } from '../errors.js';
import type { TenantsService } from '../tenants/index.js';
import { ensureActive, firstValue } from './receive.js';
import { answerVoiceTurn, type TwilioVoicePorts, type VoiceStep } from './twilio-voice.service.js';

/**
 * Exotel's call webhook (spec B `/api/webhooks/exotel/incoming`). Exotel does not sign its
 * webhooks, so the URL we give it carries the tenant's `campaigns.exotel.webhook_token`, compared
 * in constant time before anything else is read. Its parameters come form-encoded in a POST or as
 * the query of a passthru applet's GET; both are read, the body winning.
 */

export interface ExotelHook {
  rawBody: Buffer;
  query: Record<string, unknown>;
  receivedAt: Date;
}

const exotelCallSchema = z.looseObject({
  CallSid: z.string().min(1).max(64),
  From: z.string().max(64).optional(),
  To: z.string().max(64).optional(),
  Status: z.string().max(32).optional(),
  DialCallStatus: z.string().max(32).optional(),
  Direction: z.string().max(32).optional(),
  SpeechResult: z.string().max(4000).optional(),
});

/** A verified Exotel request: the tenant, the call, and how it stands (`Status`, else `DialCallStatus`). */
export interface ExotelCall {
  tenantId: string;
  callSid: string;
  from?: string;
  to?: string;
  status?: string;
  speech?: string;
}

export interface ExotelCallsService {
  /** The tenant named by `?business_id=`, its token checked, and the call's parameters. */
  read(hook: ExotelHook): Promise<ExotelCall>;
  /** The next step of an inbound call: the voice conversation of spec C, as Twilio's callers have it. */
  answer(call: ExotelCall, hook: ExotelHook): Promise<VoiceStep>;
}

export type ExotelCallsPorts = Pick<TwilioVoicePorts, 'inbox'> & {
  tenants: Pick<TenantsService, 'getConfigWithSecrets' | 'statusOf' | 'get'>;
};

async function checkToken(ports: ExotelCallsPorts, hook: ExotelHook): Promise<string> {
  const tenantId = firstValue(hook.query.business_id);
  const token = firstValue(hook.query.token);
  if (!tenantId) throw new AppError('UNAUTHENTICATED', 'Name the business with ?business_id=');
  await ensureActive(ports.tenants, tenantId);
  const expected = (await ports.tenants.getConfigWithSecrets(tenantId)).campaigns?.exotel?.webhook_token;
  if (!expected || !token || !safeEqual(token, expected))
    throw new AppError(
      'UNAUTHENTICATED',
      'Missing or wrong ?token= for this business (campaigns.exotel.webhook_token)',
    );
  return tenantId;
}

function callOf(tenantId: string, hook: ExotelHook): ExotelCall {
  const fromQuery = Object.fromEntries(
    Object.entries(hook.query).flatMap(([k, v]) => (firstValue(v) === undefined ? [] : [[k, firstValue(v)]])),
  );
  const parsed = exotelCallSchema.safeParse({ ...fromQuery, ...twilioForm(hook.rawBody) });
  if (!parsed.success)
    throw invalid(
      parsed.error.issues.map((i) => ({
        field: i.path.join('.'),
        issue: i.message,
        type: 'value_error',
        location: 'body' as const,
      })),
    );
  const f = parsed.data;
  const status = f.Status ?? f.DialCallStatus;
  return {
    tenantId,
    callSid: f.CallSid,
    ...(f.From ? { from: f.From } : {}),
    ...(f.To ? { to: f.To } : {}),
    ...(status ? { status: status.toLowerCase() } : {}),
    ...(f.SpeechResult === undefined ? {} : { speech: f.SpeechResult }),
  };
}

export function createExotelCallsService(ports: ExotelCallsPorts): ExotelCallsService {
  return {
    async read(hook) {
      return callOf(await checkToken(ports, hook), hook);
    },
    answer: (call, hook) =>
      answerVoiceTurn(ports, call.tenantId, {
        callSid: call.callSid,
        from: call.from ?? '',
        ...(call.to ? { to: call.to } : {}),
        ...(call.speech === undefined ? {} : { speech: call.speech }),
        query: hook.query,
        receivedAt: hook.receivedAt,
      }),
  };
}
