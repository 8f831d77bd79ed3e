import { parseJsonOrUndefined } from '../../lib/json.js';
import type { Fetch } from '../http/guarded-fetch.js';
import { failureReason, isAbortError } from '../http/fetch-failure.js';
import { refusalIn } from '../http/safe-fetch.js';

/**
 * The CRM port: push one qualified lead into the tenant's CRM. Each vendor adapter speaks its
 * own REST dialect and maps every failure onto `CrmError`, whose message is the vendor's own
 * words so the API can show the tenant what their CRM said. Retrying is the queue's job: an
 * adapter makes one attempt per call and only says whether another one could succeed.
 */

export type CrmKind = 'hubspot' | 'salesforce';

/** The lead as the CRM should see it; every field but `externalId` may be unknown. */
export interface CrmLeadInput {
  email?: string;
  firstName?: string;
  lastName?: string;
  phone?: string;
  company?: string;
  /** 0–100 from the scoring engine. */
  score?: number;
  tier?: 'HOT' | 'WARM' | 'COLD';
  intent?: string;
  /** The channel the lead came in on (`web_form`, `callrail`, …). */
  source?: string;
  summary?: string;
  /** The top of the stated budget, in the tenant's currency. */
  budget?: number;
  timeline?: string;
  projectType?: string;
  /** Frontdesk's lead id. */
  externalId: string;
}

export interface CrmUpsertOptions {
  /** HubSpot deal pipeline id; `default` when omitted. Salesforce Leads have no pipeline and ignore it. */
  pipelineId?: string;
  /** The CRM user who should own the records; an address the CRM does not know leaves the owner unset. */
  ownerEmail?: string;
  /**
   * Stable per lead. Neither vendor's REST API accepts an idempotency key on these calls, so
   * adapters stay idempotent by looking records up before writing (by email, and HubSpot deals
   * by their association to the contact) and never by this key.
   */
  idempotencyKey?: string;
}

export interface CrmSyncResult {
  /** HubSpot contact id. */
  contactId?: string;
  /** HubSpot deal id. */
  dealId?: string;
  /** Salesforce Lead id. */
  leadId?: string;
  /** The owner set on the records; null when no owner was asked for or the email matched no user. */
  ownerId?: string | null;
  /** True when this call created the person record (HubSpot contact, Salesforce Lead) rather than updating one found by email. */
  created: boolean;
  /** Where a person opens the record in the CRM, when the adapter can build it without another call. */
  url?: string;
}

/** `refused`: the CRM's URL points at a private address the operator has not allow-listed. */
export type CrmErrorKind = 'auth' | 'rate_limited' | 'validation' | 'not_found' | 'unavailable' | 'timeout' | 'refused';

/** Whether an attempt that failed this way can succeed unchanged later. */
const RETRYABLE: Record<CrmErrorKind, boolean> = {
  auth: false,
  rate_limited: true,
  validation: false,
  not_found: false,
  unavailable: true,
  timeout: true,
  refused: false,
};

export class CrmError extends Error {
  override readonly name = 'CrmError';

  constructor(
    /** The vendor's own message (plus its error code where it has one), or what went wrong on the way. */
    message: string,
    readonly kind: CrmErrorKind,
    /** The vendor's HTTP status; undefined when no response came. */
    readonly status: number | undefined,
    readonly retryable: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  /** An error whose retryability follows from its kind. */
  static of(kind: CrmErrorKind, message: string, status?: number, options?: { cause?: unknown }): CrmError {
    return new CrmError(message, kind, status, RETRYABLE[kind], options);
  }
}

export interface CrmProvider {
  readonly kind: CrmKind;
  /** Creates or updates the lead's records; rejects with `CrmError` on every failure. */
  upsertLead(input: CrmLeadInput, opts: CrmUpsertOptions): Promise<CrmSyncResult>;
}

/** The kind for an HTTP status both vendors use in the usual sense; Salesforce refines 403 itself. */
export function kindForStatus(status: number): CrmErrorKind {
  if (status === 401 || status === 403) return 'auth';
  if (status === 404) return 'not_found';
  if (status === 408) return 'timeout';
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'unavailable';
  return 'validation';
}

export interface VendorResponse {
  status: number;
  /** Parsed JSON; undefined for an empty body (204) or one that is not JSON. */
  body: unknown;
  /** The raw body, for error messages when it is not JSON (an HTML page from a proxy). */
  text: string;
}

export interface VendorRequest {
  /** The SSRF-guarded client: CRM URLs are tenant settings. */
  fetch: Fetch;
  method: 'GET' | 'POST' | 'PATCH' | 'PUT';
  accessToken: string;
  body?: unknown;
  headers?: Record<string, string>;
  timeoutMs: number;
}

/**
 * One JSON request with a bearer token. Answers whatever status the vendor sends, because each
 * vendor shapes its errors differently; throws `CrmError` only when no answer came at all.
 */
export async function callVendor(vendor: string, url: string, req: VendorRequest): Promise<VendorResponse> {
  let response: Response;
  let text: string;
  try {
    response = await req.fetch(url, {
      method: req.method,
      headers: {
        authorization: `Bearer ${req.accessToken}`,
        accept: 'application/json',
        ...(req.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...req.headers,
      },
      ...(req.body === undefined ? {} : { body: JSON.stringify(req.body) }),
      // Covers reading the body too, so a vendor that stalls mid-response still times out.
      signal: AbortSignal.timeout(req.timeoutMs),
    });
    text = await response.text();
  } catch (err) {
    const refusal = refusalIn(err);
    if (refusal)
      throw CrmError.of('refused', `${vendor} URL refused: it ${refusal.message}`, undefined, { cause: err });
    if (isAbortError(err)) {
      throw CrmError.of('timeout', `${vendor} did not answer within ${req.timeoutMs} ms`, undefined, { cause: err });
    }
    throw CrmError.of('unavailable', `could not reach ${vendor}: ${failureReason(err)}`, undefined, { cause: err });
  }
  return { status: response.status, body: parseJsonOrUndefined(text), text };
}

/** What to say when a vendor's error body is not in its documented shape. */
export function fallbackMessage(vendor: string, res: VendorResponse): string {
  const snippet = res.text.replace(/\s+/g, ' ').trim().slice(0, 200);
  return `${vendor} answered HTTP ${res.status}${snippet ? `: ${snippet}` : ''}`;
}

/**
 * The qualification as plain text for the CRM's free-text field: neither vendor has standard
 * fields for score, intent or timeline, and custom fields would have to exist in every account.
 */
export function leadNotes(input: CrmLeadInput): string {
  const facts = [
    input.score === undefined ? undefined : `Score: ${input.score}${input.tier ? ` (${input.tier})` : ''}`,
    input.score === undefined && input.tier ? `Tier: ${input.tier}` : undefined,
    input.intent ? `Intent: ${input.intent}` : undefined,
    input.projectType ? `Project: ${input.projectType}` : undefined,
    input.budget === undefined ? undefined : `Budget: ${input.budget}`,
    input.timeline ? `Timeline: ${input.timeline}` : undefined,
    input.source ? `Source: ${input.source}` : undefined,
    `Frontdesk lead: ${input.externalId}`,
  ].filter((line): line is string => line !== undefined);
  return input.summary ? `${input.summary}\n\n${facts.join('\n')}` : facts.join('\n');
}
