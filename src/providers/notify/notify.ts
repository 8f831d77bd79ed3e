/**
 * Notifications to the tenant's people: a Slack message for a high-value lead, an email alert.
 * Each channel maps its failures onto `NotifyError`, carrying the vendor's own words (Slack's
 * `invalid_payload`, the SMTP server's `550 …` line) so a tenant can see what went wrong, and
 * says whether a later attempt can succeed; retrying is the queue's job.
 */

/** What a lead alert says, whichever channel carries it. */
export interface LeadAlert {
  leadId: string;
  /** 0–100 from the scoring engine. */
  score: number;
  tier: 'HOT' | 'WARM' | 'COLD';
  intent?: string;
  callerName?: string;
  callerPhone?: string;
  /** One or two sentences on what the caller wants. */
  summary?: string;
  /** Where a person opens the lead (the dashboard). */
  leadUrl: string;
  /** The channel the lead came in on (`callrail`, `web_form`, …). */
  source?: string;
}

export type NotifyErrorKind = 'rejected' | 'auth' | 'rate_limited' | 'unavailable' | 'timeout' | 'refused';

const RETRYABLE: Record<NotifyErrorKind, boolean> = {
  rejected: false,
  auth: false,
  rate_limited: true,
  unavailable: true,
  timeout: true,
  refused: false,
};

export class NotifyError extends Error {
  override readonly name = 'NotifyError';
  readonly retryable: boolean;

  constructor(
    readonly channel: 'slack' | 'email',
    readonly kind: NotifyErrorKind,
    /** The vendor's own words where there were any. */
    message: string,
    /** HTTP status (Slack) or SMTP reply code (email); undefined when nothing answered. */
    readonly status?: number,
    options?: { cause?: unknown; retryable?: boolean },
  ) {
    super(message, options);
    this.retryable = options?.retryable ?? RETRYABLE[kind];
  }
}
