import { CallRailClient, CallRailError } from '../../../providers/callrail/callrail-api.js';
import type { SafeHttp } from '../../../providers/http/safe-fetch.js';
import { StepFailure, type StepOutcome, type StepRunner } from '../step.js';

/** What `callrail_api_fetch` keeps for later steps: CallRail's own transcript and the recording's API URL. */
export interface CallRailFetchOutput {
  transcript?: string;
  recording?: string;
}

/** `callrail_api_fetch`: the call's details from CallRail API v3 with the tenant's API key. */
export function callrailFetchStep(deps: { http: SafeHttp }): StepRunner {
  return async (input): Promise<StepOutcome> => {
    if (input.request.source !== 'callrail') return { status: 'skipped', reason: 'not a CallRail call' };
    const { api_key: apiKey, account_id: accountId, api_base_url: baseUrl } = input.config.callrail;
    if (!apiKey || !accountId)
      return {
        status: 'skipped',
        reason: 'no CallRail API key and account id configured (callrail.api_key, callrail.account_id)',
      };
    const callId = input.request.externalId ?? '';
    const client = new CallRailClient({ apiKey, http: deps.http, ...(baseUrl ? { baseUrl } : {}) });
    let call;
    try {
      call = await client.getCall(accountId, callId);
    } catch (err) {
      if (err instanceof CallRailError)
        throw new StepFailure(`CallRail: ${err.message}`, 'CALLRAIL_API_ERROR', err.retryable);
      throw err;
    }
    const location = [call.customerCity, call.customerState].filter(Boolean).join(', ') || null;
    const stored = input.request.callData;
    const output: CallRailFetchOutput = {
      ...(call.transcription ? { transcript: call.transcription } : {}),
      ...(call.recording ? { recording: call.recording } : {}),
    };
    return {
      status: 'completed',
      output,
      patch: {
        // What the webhook left out is filled from CallRail; what it sent stays.
        callData: {
          caller_phone: stored.caller_phone ?? call.customerPhoneNumber,
          caller_name: stored.caller_name ?? call.customerName,
          duration: stored.duration ?? call.durationSeconds,
        },
        enrichedData: {
          callrail_details: {
            call_id: call.id,
            caller_name: call.customerName,
            caller_location: location,
            caller_country: call.customerCountry,
            tracking_number: call.trackingPhoneNumber,
            business_number: call.businessPhoneNumber,
            source: call.source,
            campaign: call.campaign,
            medium: call.medium,
            keywords: call.keywords,
            gclid: call.gclid,
            landing_page_url: call.landingPageUrl,
            lead_status: call.leadStatus,
            direction: call.direction,
            answered: call.answered,
            start_time: call.startTime,
            duration: call.durationSeconds,
            has_callrail_transcript: call.transcription !== null,
          },
        },
      },
    };
  };
}
