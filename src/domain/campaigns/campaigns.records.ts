/** Neutral records of the campaigns concept; spec B's shapes are made in the leadgen surface's views. */

export const CAMPAIGN_STATUSES = ['draft', 'running', 'paused', 'completed'] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

/** What one call ended as: the latest call of a target decides the target's outcome. */
export const CALL_OUTCOMES = [
  'no_answer',
  'busy',
  'voicemail',
  'not_interested',
  'callback_requested',
  'qualified',
  'appointment_booked',
] as const;
export type CallOutcome = (typeof CALL_OUTCOMES)[number];

/** Outcomes where a person answered and spoke with the agent. */
export const CONNECTED: ReadonlySet<CallOutcome> = new Set([
  'not_interested',
  'callback_requested',
  'qualified',
  'appointment_booked',
]);
/** Outcomes that count as a qualified lead (a booked appointment was qualified first). */
export const QUALIFIED: ReadonlySet<CallOutcome> = new Set(['qualified', 'appointment_booked']);

export interface NewCampaign {
  name: string;
  niche: string;
  clientName: string;
  clientService: string;
  targetCities: string[];
  targetLeadCount: number;
  dailyCallLimit: number;
}

export interface Campaign extends NewCampaign {
  id: string;
  status: CampaignStatus;
  createdAt: string;
  updatedAt: string;
}

/** Counts from recorded outcomes; rates are defined in docs/campaigns.md. */
export interface CampaignStats {
  campaign: Campaign;
  /** Targets sourced (places search and CSV uploads, after de-duplication). */
  sourced: number;
  /** Targets whose latest call has an outcome. */
  called: number;
  /** Of those, the ones a person answered. */
  connected: number;
  qualified: number;
  appointments: number;
  /** The tenant's calls this month against its plan's quota: past it, no campaign dials. */
  calls: { used: number; limit: number };
}

export type TargetState = 'pending' | 'dialing' | 'done' | 'blocked';

export interface CampaignTarget {
  id: string;
  campaignId: string;
  leadId: string;
  phone: string;
  timeZone: string;
  state: TargetState;
  attempts: number;
  nextDialAt: string;
  outcome: CallOutcome | null;
  callRef: string | null;
}

/** One row of an upload that was not taken, and why. */
export interface RejectedRow {
  row: number;
  field: string;
  message: string;
}

export interface UploadReport {
  accepted: number;
  rejected: RejectedRow[];
}
