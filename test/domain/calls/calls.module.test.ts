import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../../src/domain/actor.js';
import {
  createCallsModule,
  stepPricesSchema,
  StepFailure,
  type CallsModule,
  type IntakeEvent,
  type PipelineStep,
  type StepRunner,
} from '../../../src/domain/calls/index.js';
import { AppError } from '../../../src/domain/errors.js';
import { systemClock } from '../../../src/lib/clock.js';
import { createEmbeddedQueue } from '../../../src/queue/embedded.queue.js';
import type { Queue } from '../../../src/queue/queue.js';
import { dialects } from '../../helpers/db.js';
import { waitFor } from '../../helpers/queue.js';
import { openTenantServices, type TenantServices } from '../tenants/services.js';

const admin: Actor = { kind: 'admin', id: 'admin', tenantId: null, requestId: 'req_test', mode: 'live' };

/** Steps that do no outside work: what each returns is what the pipeline must record. */
function fakeSteps(control: { failAnalysis: boolean }): Record<PipelineStep, StepRunner> {
  return {
    callrail_api_fetch: () => Promise.resolve({ status: 'skipped', reason: 'not a CallRail call' }),
    audio_download: () =>
      Promise.resolve({ status: 'completed', output: { bytes: 3 }, patch: { callData: { recording_bytes: 3 } } }),
    speech_to_text: () => Promise.resolve({ status: 'skipped', reason: 'no recording to transcribe' }),
    ai_analysis: ({ request }) => {
      if (control.failAnalysis) return Promise.reject(new StepFailure('engine refused', 'AI_SERVICE_ERROR', false));
      return Promise.resolve({
        status: 'completed',
        output: { score: 88 },
        patch: {
          leadScore: 88,
          projectType: 'kitchen',
          aiAnalysis: { intent: 'quote', caller: request.callData.caller_name },
          enrichedData: { ai_analysis: { tier: 'hot' } },
        },
      });
    },
    crm_integration: () => Promise.resolve({ status: 'skipped', reason: 'no CRM configured (crm_config.provider)' }),
    // Reads what an earlier step handed on, as a real notification step does.
    notification: ({ outputs }) =>
      Promise.resolve({ status: 'completed', output: { score: (outputs.ai_analysis as { score: number }).score } }),
  };
}

const event = (overrides: Partial<IntakeEvent> = {}): IntakeEvent => ({
  source: 'api',
  mode: 'live',
  externalId: null,
  dedupeKey: null,
  originalPayload: '{"customer_name":"Ada","project_type":"kitchen"}',
  callData: { caller_name: 'Ada', caller_phone: '+15551230000' },
  receivedAt: Date.now(),
  ...overrides,
});

describe.each(dialects)('calls module on $label', ({ dialect, skip }) => {
  let s: TenantServices;
  let queue: Queue;
  let calls: CallsModule;
  const control = { failAnalysis: false };
  let tenantA: string;
  let tenantB: string;

  const settled = (tenantId: string, requestId: string) =>
    waitFor(async () => {
      const r = await calls.requests.get(tenantId, requestId);
      return r.status === 'completed' || r.status === 'failed' ? r : undefined;
    });

  beforeAll(async () => {
    if (skip) return;
    s = await openTenantServices(dialect);
    queue = createEmbeddedQueue(s.test.database, { pollMs: 20, onError: () => undefined });
    calls = createCallsModule({
      db: s.test.database.db,
      clock: systemClock,
      queue,
      tenants: s.tenants,
      audit: s.audit,
      steps: fakeSteps(control),
      prices: stepPricesSchema.parse({ per_step: { ai_analysis: 0.01, notification: 0.002 } }),
      processing: { observeProcessing: () => undefined },
    });
    calls.registerJobs(queue);
    await queue.start();
    calls.relay.start();
    tenantA = (await s.tenants.create(admin, { name: 'A', tenant_id: `calls-a-${dialect}` })).tenant.id;
    tenantB = (await s.tenants.create(admin, { name: 'B', tenant_id: `calls-b-${dialect}` })).tenant.id;
  });
  afterAll(async () => {
    if (skip) return;
    await calls.relay.stop();
    await queue.stop(5_000);
    await s.close();
  });

  it.skipIf(skip)('runs an accepted request through every step and records what each did', async () => {
    const accepted = await calls.intake.accept(tenantA, event());
    expect(accepted.duplicate).toBe(false);
    const request = await settled(tenantA, accepted.requestId);

    expect(request).toMatchObject({
      status: 'completed',
      tenantId: tenantA,
      leadScore: 88,
      projectType: 'kitchen',
      callData: { caller_name: 'Ada', caller_phone: '+15551230000', recording_bytes: 3 },
      aiAnalysis: { intent: 'quote', caller: 'Ada' },
      enrichedData: { ai_analysis: { tier: 'hot' } },
      errorMessage: null,
    });
    expect(request.processingTimeMs).toEqual(expect.any(Number));
    expect(request.costUsd).toBeCloseTo(0.012, 6);
    expect(request.steps.map((st) => [st.step, st.status])).toEqual([
      ['webhook_received', 'completed'],
      ['callrail_api_fetch', 'skipped'],
      ['audio_download', 'completed'],
      ['speech_to_text', 'skipped'],
      ['ai_analysis', 'completed'],
      ['crm_integration', 'skipped'],
      ['notification', 'completed'],
    ]);
    expect(request.steps.find((st) => st.step === 'notification')?.output).toEqual({ score: 88 });
    expect(request.steps.find((st) => st.step === 'crm_integration')?.reason).toBe(
      'no CRM configured (crm_config.provider)',
    );
  });

  it.skipIf(skip)(
    'answers a repeated key with the first request, and refuses a client key reused with another body',
    async () => {
      const first = await calls.intake.accept(tenantA, event({ dedupeKey: 'key:k1' }));
      const again = await calls.intake.accept(
        tenantA,
        event({ dedupeKey: 'key:k1', originalPayload: '{"project_type":"kitchen","customer_name":"Ada"}' }),
      );
      expect(again).toMatchObject({ requestId: first.requestId, duplicate: true });
      const refused = await calls.intake
        .accept(tenantA, event({ dedupeKey: 'key:k1', originalPayload: '{"x":1}' }))
        .catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(AppError);
      expect((refused as AppError).code).toBe('CONFLICT');
      // The same key is another tenant's own.
      expect((await calls.intake.accept(tenantB, event({ dedupeKey: 'key:k1' }))).duplicate).toBe(false);
    },
  );

  it.skipIf(skip)(
    'fails a request on a step error retrying cannot fix, and finishes it on a manual retry',
    async () => {
      control.failAnalysis = true;
      const { requestId } = await calls.intake.accept(tenantA, event());
      const failed = await settled(tenantA, requestId);
      expect(failed.status).toBe('failed');
      expect(failed.errorMessage).toBe('AI_SERVICE_ERROR: engine refused');
      expect(failed.steps.find((st) => st.step === 'ai_analysis')).toMatchObject({ status: 'failed', attempts: 1 });

      control.failAnalysis = false;
      const updated = await calls.requests.update(admin, tenantA, requestId, { retryScheduled: true });
      expect(updated.retryScheduled).toBe(true);
      const done = await waitFor(async () => {
        const r = await calls.requests.get(tenantA, requestId);
        return r.status === 'completed' ? r : undefined;
      });
      expect(done).toMatchObject({ leadScore: 88, retryScheduled: false, errorMessage: null });
      // The steps done before the failure were not redone.
      expect(done.steps.find((st) => st.step === 'audio_download')?.attempts).toBe(1);
    },
  );

  it.skipIf(skip)('keeps one tenant’s requests out of another’s reads, changes and figures', async () => {
    const { requestId } = await calls.intake.accept(tenantA, event());
    await settled(tenantA, requestId);
    const notFound = async (work: Promise<unknown>) => {
      const err = await work.catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).code).toBe('NOT_FOUND');
    };
    await notFound(calls.requests.get(tenantB, requestId));
    await notFound(calls.requests.update(admin, tenantB, requestId, { status: 'failed' }));
    const page = { limit: 100, offset: 0, sort: 'created_at', order: 'desc' } as const;
    expect((await calls.requests.list(tenantB, page)).requests.map((r) => r.id)).not.toContain(requestId);
    expect((await calls.requests.list(tenantA, page)).requests.map((r) => r.id)).toContain(requestId);
    const pagesOfB = [];
    for await (const p of calls.requests.pages(tenantB, {}, 50)) pagesOfB.push(...p.map((r) => r.id));
    expect(pagesOfB).not.toContain(requestId);
    expect((await calls.requests.usageStats(tenantB)).total).toBe(1);
    expect((await calls.requests.get(tenantA, requestId)).status).toBe('completed');
  });
});
