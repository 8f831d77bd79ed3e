import { z } from 'zod';
import { twilioVoiceSchema } from '../../channels/twilio.js';
import { handleTwilioRequest, type TwilioHook, type TwilioRequestPorts } from './twilio-request.js';

/**
 * Twilio's webhooks for our outbound calls (spec B's campaigns): the status callback that says a
 * call ended, and the speech turns of a call a person answered. The tenant and signature are
 * checked as for spec C's `/twilio/voice`; the caller decides what the call means.
 */

/** A status callback: the call's end (`CallStatus`) and, with machine detection, who answered. */
export const twilioCallStatusSchema = z.looseObject({
  CallSid: z.string().regex(/^CA[0-9a-fA-F]{32}$/, 'must be a Twilio call (CA…) SID'),
  CallStatus: z.string().min(1).max(32),
  AnsweredBy: z.string().max(32).optional(),
});

export interface TwilioCallsService {
  /** The verified status callback. */
  status(hook: TwilioHook): Promise<{ tenantId: string; callSid: string; callStatus: string; answeredBy?: string }>;
  /** A verified turn of a call: what the callee said, if anything yet. */
  turn(hook: TwilioHook): Promise<{ tenantId: string; callSid: string; speech?: string }>;
}

export function createTwilioCallsService(ports: TwilioRequestPorts): TwilioCallsService {
  return {
    status: (hook) =>
      handleTwilioRequest(ports, hook, twilioCallStatusSchema, 'voice', ({ tenantId, form }) =>
        Promise.resolve({
          tenantId,
          callSid: form.CallSid,
          callStatus: form.CallStatus,
          ...(form.AnsweredBy ? { answeredBy: form.AnsweredBy } : {}),
        }),
      ),
    turn: (hook) =>
      handleTwilioRequest(ports, hook, twilioVoiceSchema, 'voice', ({ tenantId, form }) =>
        Promise.resolve({
          tenantId,
          callSid: form.CallSid,
          ...(form.SpeechResult === undefined ? {} : { speech: form.SpeechResult }),
        }),
      ),
  };
}
