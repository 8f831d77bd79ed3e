import type { PipelineConfig, PipelineStep } from './calls.schema.js';
import type { CallRequest, RequestPatch } from './records.js';
import type { StepUsage } from './step-prices.js';

export type StepOutcome =
  | { status: 'completed'; output?: unknown; costUsd?: number; usage?: StepUsage; patch?: RequestPatch }
  | { status: 'skipped'; reason: string; patch?: RequestPatch };

export interface StepInput {
  tenantId: string;
  request: CallRequest;
  config: PipelineConfig;
  /** What earlier steps of this request returned as `output`. */
  outputs: Partial<Record<PipelineStep, unknown>>;
  signal: AbortSignal;
}

/** One pipeline step: does its work for one request and says what came of it. */
export type StepRunner = (input: StepInput) => Promise<StepOutcome>;

/** A step error that retrying will not fix (bad credentials, a rejected record); `code` names it in the request's error. */
export class StepFailure extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

export interface StepPolicy {
  maxAttempts: number;
}
