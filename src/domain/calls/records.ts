import type { DataMode } from '../actor.js';

/**
 * The records the calls concept speaks in. JSON sections (`callData`, `enrichedData`,
 * `aiAnalysis`) are what the steps wrote, parsed; the surfaces decide how a document shows them.
 */

/** One inbound call or lead on its way through the pipeline. */
export interface CallRequest {
  id: string;
  tenantId: string;
  source: string;
  /** The CallRail call id or the form's own id. */
  externalId: string | null;
  dedupeKey: string | null;
  status: string;
  /** The body as received, JSON text. */
  originalPayload: string;
  callData: Record<string, unknown>;
  enrichedData: Record<string, unknown>;
  aiAnalysis: Record<string, unknown> | null;
  leadId: string | null;
  leadScore: number | null;
  projectType: string | null;
  errorMessage: string | null;
  retryScheduled: boolean;
  retryAt: string | null;
  /** Bumped by every retry, so the retried steps' jobs get fresh dedupe keys. */
  generation: number;
  costUsd: number;
  /** How long the intake took to acknowledge. */
  ackMs: number | null;
  processingTimeMs: number | null;
  createdAt: string;
  updatedAt: string;
  processedAt: string | null;
  /** When the relay queued the first step; null while the request waits for it. */
  queuedAt: string | null;
  /** `test` when a test key sent it: its lead is a test lead, and live figures and exports leave it out. */
  mode: DataMode;
}

/** One step of a request: stored once it first ran, planned (pending) before. */
export interface CallStep {
  step: string;
  status: string;
  startedAt: string | null;
  durationMs: number | null;
  attempts: number;
  /** Why a step was skipped. */
  reason: string | null;
  error: string | null;
  costUsd: number;
  /** What the step handed to later steps, parsed; null when it handed nothing. */
  output: unknown;
  updatedAt: string;
}

/** One CRM sync the pipeline made for a request. */
export interface CrmSync {
  crmType: string;
  crmRecordId: string | null;
  status: string;
  syncTimeMs: number | null;
  createdAt: string;
}

/** A request with its CRM syncs, oldest first. */
export interface CallRequestSummary extends CallRequest {
  crmSyncs: CrmSync[];
}

/** A request with its CRM syncs and its steps, planned ones included. */
export interface CallRequestDetail extends CallRequestSummary {
  steps: CallStep[];
}

/** A request as the intake stores it; what later steps fill starts empty. */
export interface NewCallRequest {
  id: string;
  source: string;
  externalId: string | null;
  dedupeKey: string | null;
  /** JSON text, stored as it came. */
  originalPayload: string;
  callData: Record<string, unknown>;
  ackMs: number;
  createdAt: string;
  mode: DataMode;
}

/** What a step may change on its request; a step's JSON sections are deep-merged into what is stored. */
export interface RequestPatch {
  callData?: Record<string, unknown>;
  enrichedData?: Record<string, unknown>;
  aiAnalysis?: Record<string, unknown>;
  leadId?: string;
  leadScore?: number;
  projectType?: string | null;
}

/** What the pipeline writes on a request; JSON sections are written whole (the caller merged them). */
export interface RequestChange extends RequestPatch {
  status?: string;
  errorMessage?: string | null;
  retryScheduled?: boolean;
  retryAt?: string | null;
  generation?: number;
  costUsd?: number;
  processedAt?: string;
  processingTimeMs?: number;
  updatedAt?: string;
}

/** What a step's row records; `updatedAt` always. */
export interface StepChange {
  status?: string;
  startedAt?: string;
  durationMs?: number;
  attempts?: number;
  reason?: string | null;
  error?: string | null;
  costUsd?: number;
  /** Stored as JSON; `null` clears it. */
  output?: unknown;
  updatedAt: string;
}

/** A tenant's request figures, for its usage view. */
export interface CallUsage {
  total: number;
  thisMonth: number;
  successRate: number | null;
  averageProcessingTimeMs: number | null;
  crmSyncSuccessRate: number | null;
}

/** The body as received, parsed; an empty one reads as `{}`. */
export function payloadOf(request: Pick<CallRequest, 'originalPayload'>): unknown {
  return request.originalPayload === '' ? {} : (JSON.parse(request.originalPayload) as unknown);
}
