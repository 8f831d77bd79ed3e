import type { Clock } from '../../lib/clock.js';
import type { Actor } from '../actor.js';
import type { AuditService } from '../audit/index.js';
import { AppError, invalid, notFound } from '../errors.js';
import type { CallsStore } from './calls.repo.js';
import type { RequestStatus } from './calls.schema.js';
import type { CallRequest, CallRequestDetail, RequestChange } from './records.js';

export interface UpdateRequestInput {
  status?: RequestStatus;
  errorMessage?: string | null;
  retryScheduled?: boolean;
  retryAt?: string;
}

/** The pipeline's side of a manual retry. */
export interface RetryScheduler {
  /** Re-queues the first step of the request that is not completed, delayed until `at`. */
  scheduleRetry(tenantId: string, requestId: string, at: Date): Promise<void>;
  /** The first step a retry would run; undefined when every step is done. */
  openStep(tenantId: string, requestId: string): Promise<string | undefined>;
}

export interface RequestUpdatePorts {
  store: Pick<CallsStore, 'requests'>;
  clock: Clock;
  audit: Pick<AuditService, 'record'>;
  pipeline: RetryScheduler;
  /** The request's details as the change answers them. */
  get(tenantId: string, requestId: string): Promise<CallRequestDetail>;
}

type Audited = 'status' | 'errorMessage' | 'retryScheduled' | 'retryAt';

/** The audit log names the changed fields as they are stored; a retry flag is stored as 0 or 1. */
const AUDIT_FIELDS: Record<Audited, string> = {
  status: 'status',
  errorMessage: 'error_message',
  retryScheduled: 'retry_scheduled',
  retryAt: 'retry_at',
};
const audited = (value: unknown) => (typeof value === 'boolean' ? Number(value) : value);

/** The change the input asks for, and when a retry should run (null for none). */
function changeOf(input: UpdateRequestInput, now: Date): { change: RequestChange; retryAt: Date | null } {
  if (input.retryScheduled === false && input.retryAt !== undefined) {
    throw invalid([
      {
        field: 'retry_at',
        issue: 'must be absent when retry_scheduled is false',
        type: 'invalid_combination',
        location: 'body',
      },
    ]);
  }
  // A retry time alone asks for a retry; retryScheduled alone means "retry now".
  const retryAt =
    input.retryScheduled === true || input.retryAt !== undefined
      ? input.retryAt !== undefined
        ? new Date(input.retryAt)
        : now
      : null;
  const change: RequestChange = { updatedAt: now.toISOString() };
  if (input.status !== undefined) change.status = input.status;
  if (input.errorMessage !== undefined) change.errorMessage = input.errorMessage;
  if (retryAt) Object.assign(change, { retryScheduled: true, retryAt: retryAt.toISOString() });
  else if (input.retryScheduled === false) Object.assign(change, { retryScheduled: false, retryAt: null });
  return { change, retryAt };
}

function auditDiff(before: CallRequest, change: RequestChange) {
  const changed = (Object.keys(AUDIT_FIELDS) as Audited[]).filter((k) => change[k] !== undefined);
  return {
    before: Object.fromEntries(changed.map((k) => [AUDIT_FIELDS[k], audited(before[k])])),
    after: Object.fromEntries(changed.map((k) => [AUDIT_FIELDS[k], audited(change[k])])),
  };
}

function nothingToRetry(request: CallRequest): AppError {
  return new AppError(
    'CONFLICT',
    `Request '${request.id}' has no step left to run (it is ${request.status}), so there is nothing to retry; send status and error_message without retry_scheduled or retry_at to change only its status`,
    { details: { request_id: request.id, status: request.status } },
  );
}

/** A manual change of a request's status, error or retry; audited. */
export async function updateRequest(
  ports: RequestUpdatePorts,
  actor: Actor,
  tenantId: string,
  requestId: string,
  input: UpdateRequestInput,
): Promise<CallRequestDetail> {
  const request = await ports.store.requests.findById(tenantId, requestId);
  if (!request) throw notFound('request', requestId);
  const { change, retryAt } = changeOf(input, ports.clock.now());
  // Refused whole, before anything is written: a retry of a request whose every step is done would
  // advertise a retry that runs nothing (or replay its alerts and CRM writes), and leave it as it was.
  if (retryAt && !(await ports.pipeline.openStep(tenantId, requestId))) throw nothingToRetry(request);
  await ports.store.requests.update(tenantId, requestId, change);
  if (retryAt) {
    // The row is written first so the pipeline, which may move the status on, has the last word;
    // a retry that could not be queued must not stay advertised on the request.
    try {
      await ports.pipeline.scheduleRetry(tenantId, requestId, retryAt);
    } catch (err) {
      await ports.store.requests.update(tenantId, requestId, {
        retryScheduled: request.retryScheduled,
        retryAt: request.retryAt,
      });
      throw err;
    }
  }
  await ports.audit.record(actor, {
    tenantId,
    action: 'ingestion_request.updated',
    targetType: 'ingestion_request',
    targetId: requestId,
    ...auditDiff(request, change),
  });
  return ports.get(tenantId, requestId);
}

/** Why a request that has not failed is not retried, in the words of its status. */
function notFailed(request: CallRequest): AppError {
  const why =
    request.status === 'completed'
      ? 'it completed, so there is nothing to retry'
      : `it is ${request.status} and has not failed; wait for its steps to finish`;
  return new AppError('CONFLICT', `Request '${request.id}' cannot be retried: ${why}`, {
    details: { request_id: request.id, status: request.status },
  });
}

/**
 * A person's "retry" of a failed request: the scheduled retry of a manual change, run now, from the
 * step that failed. Only a failed request: one still running would be run twice.
 */
export async function retryFailed(
  ports: RequestUpdatePorts,
  actor: Actor,
  tenantId: string,
  requestId: string,
): Promise<CallRequestDetail> {
  const request = await ports.store.requests.findById(tenantId, requestId);
  if (!request) throw notFound('request', requestId);
  if (request.status !== 'failed') throw notFailed(request);
  return updateRequest(ports, actor, tenantId, requestId, { retryScheduled: true });
}
